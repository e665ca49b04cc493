package org.reprolab.kernel.protocol;

import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;

/**
 * {@code execute_reply} that can carry payloads (a pager page for {@code Math.max?});
 * jjava-jupyter 1.0-a6's reply has no payload field.
 */
public final class ExecuteReplyWithPayload extends ExecuteReply {
    @SuppressWarnings("unused") // serialised by Gson
    private final List<Map<String, Object>> payload;

    public ExecuteReplyWithPayload(int executionCount, List<Map<String, Object>> payload) {
        super(executionCount, Map.of());
        this.payload = List.copyOf(payload);
    }

    /** A pager payload showing {@code text}, which reads as plain text and renders as Markdown where the front end can. */
    public static Map<String, Object> page(String text) {
        return Map.of("source", "page", "data", Map.of("text/plain", text, "text/markdown", text), "start", 0);
    }
}
