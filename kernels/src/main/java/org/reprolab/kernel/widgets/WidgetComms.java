package org.reprolab.kernel.widgets;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.comm.CommCloseCommand;
import org.dflib.jjava.jupyter.messages.comm.CommMsgCommand;
import org.dflib.jjava.jupyter.messages.comm.CommOpenCommand;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.reprolab.kernel.protocol.CommInfoOk;
import org.reprolab.lab.Interaction;

/**
 * The kernel's side of the Jupyter widget protocol, on jjava-jupyter's comm manager: it opens a
 * {@code jupyter.widget} comm per {@link Widget}, routes the front end's updates and clicks to it,
 * answers {@code jupyter.widget.control} ({@code request_states}, ipywidgets 8 front ends restoring
 * widgets after a reload) and {@code jupyter.widget.version} (the ipywidgets 6 front end of Debian's
 * classic notebook, which switches the kernel to the {@link Dialect#LEGACY} dialect), and runs widget
 * callbacks.
 *
 * <p>Callbacks run on one daemon thread, "reprolab-widgets", inside the kernel's {@link Scope}: not
 * while a cell runs, with printing and displays sent as answers to the message that triggered them.
 * The shell thread only records a move and returns, so the kernel answers (and coalesces further
 * moves) while a slow render runs.
 */
public final class WidgetComms extends CommManager {

    /** What the kernel lends callbacks. */
    public interface Scope {
        /** Runs {@code body} as the kernel runs a cell: exclusive with cells, output answering {@code env}'s message. */
        void run(ShellReplyEnvironment env, Runnable body);

        /** Sends buffered standard output and error now. */
        void flush();

        /** The environment of the running cell, or null. */
        ShellReplyEnvironment cell();
    }

    static final String WIDGET_TARGET = "jupyter.widget";
    static final String CONTROL_TARGET = "jupyter.widget.control";
    static final String VERSION_TARGET = "jupyter.widget.version";
    private static final Gson GSON = new Gson();

    private final Scope scope;
    private final ThreadLocal<ShellReplyEnvironment> handling = new ThreadLocal<>();
    private final Map<String, Widget> widgets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reprolab-widgets");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Dialect dialect = Dialect.MODERN;
    /** The thread running a callback now, for {@link #interruptCallback}. */
    private volatile Thread runningCallback;

    public WidgetComms(Scope scope) {
        this.scope = scope;
        this.comms = new ConcurrentHashMap<>();
        this.targets = new ConcurrentHashMap<>();
        registerTarget(VERSION_TARGET, (manager, id, target, message) -> new VersionComm(id));
        registerTarget(CONTROL_TARGET, (manager, id, target, message) -> new ControlComm(id));
        // a widget the front end creates has no Java class to build; its comm stays inert, as in ipykernel without the class
        registerTarget(WIDGET_TARGET, (manager, id, target, message) -> new WidgetComm(id, null));
    }

    /** Makes {@link Widgets} and {@code Lab.interact} use this kernel. */
    public void install() {
        Widgets.install(this);
        Interaction.setFront(new InteractionFront(this));
    }

    /** Back to no front end: widgets keep state only, interactions render once. */
    public void uninstall() {
        Widgets.install(null);
        Interaction.setFront(null);
        worker.shutdownNow();
    }

    Dialect dialect() {
        return dialect;
    }

    // ---- sending

    /** The message being answered on this thread: a comm message in a callback, else the running cell's. */
    ShellReplyEnvironment currentEnv() {
        ShellReplyEnvironment env = handling.get();
        return env != null ? env : scope.cell();
    }

    private MessageContext parent() {
        ShellReplyEnvironment env = currentEnv();
        return env != null ? env.getContext() : context;
    }

    private boolean connected() {
        return iopub != null && parent() != null;
    }

    void open(Widget widget) {
        widgets.put(widget.id(), widget);
        registerComm(new WidgetComm(widget.id(), widget));
        if (!connected()) {
            return;
        }
        JsonObject data = json(widget.dialect.openData(widget.state()));
        Map<String, Object> metadata = new LinkedHashMap<>(widget.dialect.openMetadata());
        iopub.sendMessage(new Message<>(parent(), CommOpenCommand.MESSAGE_TYPE,
                new CommOpenCommand(widget.id(), WIDGET_TARGET, data), null, metadata));
    }

    void update(Widget widget, Map<String, Object> delta) {
        if (connected()) {
            messageComm(widget.id(), json(widget.dialect.update(delta)));
        }
    }

    @Override
    public void messageComm(String commId, JsonObject data, Map<String, Object> metadata, List<byte[]> blobs) {
        iopub.sendMessage(new Message<>(parent(), CommMsgCommand.MESSAGE_TYPE, new CommMsgCommand(commId, data), blobs, metadata));
    }

    void display(Widget widget) {
        if (!connected()) {
            return;
        }
        scope.flush();
        if (widget.dialect == Dialect.LEGACY) {
            messageComm(widget.id(), json(Map.of("method", "display")));
        }
        DisplayData data = new DisplayData();
        widget.dialect.viewBundle(widget.id(), widget.toString()).forEach(data::putData);
        iopub.sendMessage(new Message<>(parent(), PublishDisplayData.MESSAGE_TYPE, new PublishDisplayData(data)));
    }

    void close(Widget widget) {
        widgets.remove(widget.id());
        Comm comm = getCommByID(widget.id());
        if (comm != null && connected()) {
            iopub.sendMessage(new Message<>(parent(), CommCloseCommand.MESSAGE_TYPE,
                    new CommCloseCommand(widget.id(), new JsonObject())));
        }
        unregisterComm(widget.id());
    }

    // ---- receiving: remember which message this thread answers

    @Override
    public void handleCommOpenCommand(ReplyEnvironment env, Message<CommOpenCommand> message) {
        answering(env, () -> super.handleCommOpenCommand(env, message));
    }

    @Override
    public void handleCommMsgCommand(ReplyEnvironment env, Message<CommMsgCommand> message) {
        answering(env, () -> super.handleCommMsgCommand(env, message));
    }

    /** Which comms are open (of one target if the request names it), with the {@code status} jjava-jupyter leaves out. */
    @Override
    public void handleCommInfoRequest(ReplyEnvironment env, Message<CommInfoRequest> message) {
        env.setBusyDeferIdle();
        String target = message.getContent().getTargetName();
        Map<String, Map<String, String>> open = new LinkedHashMap<>();
        for (Comm comm : this) {
            if (target == null || target.equals(comm.getTargetName())) {
                open.put(comm.getID(), Map.of("target_name", comm.getTargetName()));
            }
        }
        env.reply(new CommInfoOk(open));
    }

    private void answering(ReplyEnvironment env, Runnable body) {
        handling.set(env instanceof ShellReplyEnvironment shell ? shell : null);
        try {
            body.run();
        } finally {
            handling.remove();
        }
    }

    // ---- callbacks

    /** Runs {@code body} on the widget thread, answering the message this thread answers now. */
    void runCallback(Runnable body) {
        ShellReplyEnvironment env = currentEnv();
        worker.execute(() -> inScope(env, body));
    }

    /** Runs {@code body} on the widget thread after {@code delayMillis}. */
    void schedule(long delayMillis, Runnable body) {
        worker.schedule(body, delayMillis, TimeUnit.MILLISECONDS);
    }

    void inScope(ShellReplyEnvironment env, Runnable body) {
        handling.set(env);
        runningCallback = Thread.currentThread();
        try {
            Runnable guarded = () -> {
                try {
                    body.run();
                } catch (RuntimeException | LinkageError e) {
                    publishError(e);
                }
            };
            if (env == null) {
                guarded.run();
            } else {
                scope.run(env, guarded);
            }
        } finally {
            runningCallback = null;
            Thread.interrupted(); // an interrupt that came too late for this callback must not stop the next
            handling.remove();
        }
    }

    /**
     * Interrupts the callback running now (a slow render), as the kernel's interrupt button stops a cell:
     * library loops check the interrupt and throw, and the error shows in the output area. Returns
     * whether one was running.
     */
    public boolean interruptCallback() {
        Thread thread = runningCallback;
        if (thread == null) {
            return false;
        }
        thread.interrupt();
        return true;
    }

    /** Runs {@code body} with its outputs routed into {@code output} (see {@link Output#capture}). */
    void capture(Output output, Runnable body) {
        ShellReplyEnvironment env = currentEnv();
        if (env == null || !connected()) {
            body.run();
            return;
        }
        output.set("msg_id", env.getContext().getHeader().getId());
        try {
            body.run();
        } catch (RuntimeException | LinkageError e) {
            publishError(e);
        } finally {
            Thread.interrupted(); // an interrupt meant for the body must not hit the sends below
            scope.flush();
            output.set("msg_id", "");
        }
    }

    /** Shows {@code e} as an error output answering the current message (inside a capture: in the output area). */
    private void publishError(Throwable e) {
        // the interrupt that stopped the callback is spent: sending with it set would fail in the socket
        Thread.interrupted();
        scope.flush();
        List<String> traceback = new ArrayList<>();
        traceback.add(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            traceback.add("    at " + frames[i]);
        }
        if (connected()) {
            iopub.sendMessage(new Message<>(parent(), PublishError.MESSAGE_TYPE,
                    new PublishError(e.getClass().getName(), String.valueOf(e.getMessage()), traceback)));
        }
    }

    // ---- comms

    private static JsonObject json(Map<String, Object> map) {
        return GSON.toJsonTree(map).getAsJsonObject();
    }

    /** JSON to Java: objects as maps, integral numbers as integers (a slider's 5, not 5.0). */
    static Object plain(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            element.getAsJsonArray().forEach(e -> list.add(plain(e)));
            return list;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            String text = primitive.getAsString();
            if (text.matches("-?\\d{1,9}")) {
                return Integer.parseInt(text);
            }
            return primitive.getAsDouble();
        }
        return primitive.getAsString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Message<CommMsgCommand> message) {
        Object data = plain(message.getContent().getData());
        return data instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** One widget's comm: updates, state requests and custom messages from the front end. */
    private final class WidgetComm extends Comm {
        private final Widget widget;

        WidgetComm(String id, Widget widget) {
            super(WidgetComms.this, id, WIDGET_TARGET);
            this.widget = widget;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void onMessage(Message<CommMsgCommand> message) {
            if (widget == null) {
                return;
            }
            Map<String, Object> data = data(message);
            switch (String.valueOf(data.get("method"))) {
                case "update" -> widget.receivedState((Map<String, Object>) data.getOrDefault("state", Map.of()));
                case "backbone" -> widget.receivedState((Map<String, Object>) data.getOrDefault("sync_data", Map.of()));
                case "request_state" -> update(widget, widget.state());
                case "custom" -> widget.receivedCustom((Map<String, Object>) data.getOrDefault("content", Map.of()));
                default -> { /* unknown methods are ignored, as ipywidgets logs and ignores them */ }
            }
        }

        @Override
        protected void onClose(Message<CommCloseCommand> message, boolean sending) {
            widgets.remove(getID());
        }
    }

    /** ipywidgets 6's version check: reply with the front-end range we speak, and speak {@link Dialect#LEGACY} from now on. */
    private final class VersionComm extends Comm {
        VersionComm(String id) {
            super(WidgetComms.this, id, VERSION_TARGET);
            dialect = Dialect.LEGACY;
            send(json(Map.of("version", Dialect.LEGACY_FRONTEND_RANGE)));
        }

        @Override
        protected void onMessage(Message<CommMsgCommand> message) {
            if (Boolean.FALSE.equals(data(message).get("validated"))) {
                System.err.println("The widget front end (" + data(message).get("frontend_version")
                        + ") does not satisfy " + Dialect.LEGACY_FRONTEND_RANGE + "; widgets may not render.");
            }
        }

        @Override
        protected void onClose(Message<CommCloseCommand> message, boolean sending) {}
    }

    /** ipywidgets 8's control comm: the states of every live widget, for a front end that reconnects. */
    private final class ControlComm extends Comm {
        ControlComm(String id) {
            super(WidgetComms.this, id, CONTROL_TARGET);
        }

        @Override
        protected void onMessage(Message<CommMsgCommand> message) {
            if (!"request_states".equals(data(message).get("method"))) {
                return;
            }
            Map<String, Object> states = new LinkedHashMap<>();
            widgets.values().forEach(w -> {
                Map<String, Object> state = w.state();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("model_name", state.get("_model_name"));
                entry.put("model_module", state.get("_model_module"));
                entry.put("model_module_version", state.get("_model_module_version"));
                entry.put("state", state);
                states.put(w.id(), entry);
            });
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("method", "update_states");
            reply.put("states", states);
            reply.put("buffer_paths", List.of());
            send(json(reply));
        }

        @Override
        protected void onClose(Message<CommCloseCommand> message, boolean sending) {}
    }
}
