package org.reprolab.kernel.protocol;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * {@code history_reply} with entries as the protocol's tuples, {@code [session, line, input]} or
 * {@code [session, line, [input, output]]}. jjava-jupyter 1.0-a6 registers its tuple adapter for
 * reading only, so its own reply goes out as objects that clients reject.
 */
public final class HistoryTuplesReply implements ContentType<HistoryTuplesReply>, ReplyType<HistoryRequest> {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final MessageType<HistoryTuplesReply> TYPE = (MessageType) MessageType.HISTORY_REPLY;

    @SuppressWarnings("unused") // serialised by Gson
    private final String status = "ok";
    @SuppressWarnings("unused") // serialised by Gson
    private final List<List<Object>> history;

    public HistoryTuplesReply(List<HistoryEntry> entries) {
        this.history = entries.stream()
                .map(e -> e.hasOutput()
                        ? List.<Object>of(e.getSession(), e.getCellNumber(), List.of(e.getInput(), e.getOutput()))
                        : List.<Object>of(e.getSession(), e.getCellNumber(), e.getInput()))
                .toList();
    }

    @Override
    public MessageType<HistoryTuplesReply> getType() {
        return TYPE;
    }

    @Override
    public MessageType<HistoryRequest> getRequestType() {
        return MessageType.HISTORY_REQUEST;
    }
}
