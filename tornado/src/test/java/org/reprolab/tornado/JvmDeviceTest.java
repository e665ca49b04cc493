package org.reprolab.tornado;

/** The device contract on the jvm device. */
class JvmDeviceTest extends DeviceContract {
    @Override
    protected Device device() {
        return Devices.get("jvm");
    }
}
