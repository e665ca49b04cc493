package org.reprolab.kernel;

/** The class path of the running tests as plain entries (surefire hides it behind a manifest-only jar). */
public final class TestClasspath {
    private TestClasspath() {}

    public static String get() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
