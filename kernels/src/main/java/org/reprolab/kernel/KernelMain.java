package org.reprolab.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** Entry point Jupyter starts (see the kernelspec): {@code KernelMain <connection-file>}. */
public final class KernelMain {

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java ... org.reprolab.kernel.KernelMain <connection-file.json>");
            System.exit(2);
        }
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(properties);
        ReprolabKernel kernel = ReprolabKernel.create(System.getProperty("java.class.path"));
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        surviveOutOfMemory();
        connection.waitUntilClose();
        kernel.onShutdown(false);
        System.exit(0);
    }

    /**
     * The heartbeat, shell and control loops (jjava's {@link Loop} threads) die on the first
     * exception their body lets out. A cell that fills the heap can make any thread's next
     * allocation fail, and then the kernel stops answering heartbeats, interrupts and shutdown
     * (issue 13). With this handler a loop that meets an {@link OutOfMemoryError} waits 20 ms and
     * goes on; anything else ends it as before.
     */
    static void surviveOutOfMemory() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread instanceof Loop loop) {
                loop.onError(KernelMain::retryAfterOutOfMemory);
            }
        }
    }

    private static long retryAfterOutOfMemory(Throwable thrown) {
        if (thrown instanceof OutOfMemoryError) {
            return 20;
        }
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(thrown);
    }
}
