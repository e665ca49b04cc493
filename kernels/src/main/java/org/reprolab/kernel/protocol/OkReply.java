package org.reprolab.kernel.protocol;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;

/**
 * A reply whose content is {@code {"status": "ok"}} plus, for {@code shutdown_reply}, the
 * {@code restart} flag. jjava-jupyter 1.0-a6 sends shutdown and interrupt replies without the
 * {@code status} every v5 reply must carry.
 */
public final class OkReply implements ContentType<OkReply>, ReplyType<Object> {

    private final transient MessageType<OkReply> type;
    private final transient MessageType<Object> requestType;
    @SuppressWarnings("unused") // serialised by Gson
    private final String status = "ok";
    @SuppressWarnings("unused") // serialised by Gson; null (left out) except for shutdown
    private final Boolean restart;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private OkReply(MessageType<?> type, MessageType<?> requestType, Boolean restart) {
        this.type = (MessageType) type;
        this.requestType = (MessageType) requestType;
        this.restart = restart;
    }

    public static OkReply shutdown(boolean restart) {
        return new OkReply(MessageType.SHUTDOWN_REPLY, MessageType.SHUTDOWN_REQUEST, restart);
    }

    public static OkReply interrupt() {
        return new OkReply(MessageType.INTERRUPT_REPLY, MessageType.INTERRUPT_REQUEST, null);
    }

    @Override
    public MessageType<OkReply> getType() {
        return type;
    }

    @Override
    public MessageType<Object> getRequestType() {
        return requestType;
    }
}
