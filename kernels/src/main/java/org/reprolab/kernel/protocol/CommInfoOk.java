package org.reprolab.kernel.protocol;

import java.util.Map;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;

/**
 * {@code comm_info_reply} with the {@code status} every v5 reply carries: jjava-jupyter 1.0-a6 leaves it
 * out, and widget front ends asking which widget comms are open read it.
 */
public final class CommInfoOk implements ContentType<CommInfoOk>, ReplyType<Object> {

    @SuppressWarnings("unused") // serialised by Gson
    private final String status = "ok";
    @SuppressWarnings("unused") // serialised by Gson
    private final Map<String, Map<String, String>> comms;

    /** {@code comms}: comm id to {@code {"target_name": ...}}. */
    public CommInfoOk(Map<String, Map<String, String>> comms) {
        this.comms = comms;
    }

    @Override
    public MessageType<CommInfoOk> getType() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MessageType<CommInfoOk> type = (MessageType) MessageType.COMM_INFO_REPLY;
        return type;
    }

    @Override
    public MessageType<Object> getRequestType() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MessageType<Object> type = (MessageType) MessageType.COMM_INFO_REQUEST;
        return type;
    }
}
