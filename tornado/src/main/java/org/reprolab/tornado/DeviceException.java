package org.reprolab.tornado;

/**
 * A device operation failed or was called with arguments it cannot honour. Messages name the
 * operation and the sizes involved, so a notebook user can fix the call without reading our code.
 */
public class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
