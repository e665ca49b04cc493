package org.reprolab.kernel;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.reprolab.kernel.display.Displayers;
import org.reprolab.lab.Progress;
import org.reprolab.kernel.protocol.ExecuteReplyWithPayload;
import org.reprolab.kernel.protocol.HistoryTuplesReply;
import org.reprolab.kernel.protocol.KernelInfoOk;
import org.reprolab.kernel.protocol.OkReply;
import org.reprolab.kernel.shell.CellException;
import org.reprolab.kernel.shell.JShellSession;
import org.reprolab.kernel.widgets.Widget;
import org.reprolab.kernel.widgets.WidgetComms;
import org.reprolab.lab.Interaction;

/**
 * The Reprolab Jupyter kernel: jjava-jupyter's wire protocol around a {@link JShellSession}.
 *
 * <p>Besides the five evaluation hooks, it mends what real clients found missing in
 * jjava-jupyter 1.0-a6 (see shared/reference/kernels.md §3.4): {@code kernel_info_reply} gets
 * its {@code status} (so do shutdown and interrupt replies), {@code history_request} is answered with protocol tuples, an interrupted cell replies with an
 * error instead of {@code ok}, {@code Math.max?} opens the pager through an execute payload, and
 * results, displays and errors go through our {@link Displayers} registry and readable
 * tracebacks.
 */
public final class ReprolabKernel extends BaseKernel {

    static final String VERSION = "0.1.0";
    static final long STREAM_FLUSH_MILLIS = 100;
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reprolab-stream-flusher");
        thread.setDaemon(true);
        return thread;
    });
    private static final Pattern PAGER = Pattern.compile("^\\s*(?:(\\?\\??)\\s*([\\w.$]+\\(?)|([\\w.$]+\\(?)\\s*(\\?\\??))\\s*;?\\s*$");

    private final KernelIO kernelIO;
    private final InMemoryHistory history;
    private final NotebookReport report = NotebookReport.fromEnvironment();
    private final CompletableFuture<JShellSession> session;
    private final CellStreams streams = new CellStreams();
    private final Magics magics = new Magics();
    private ScheduledFuture<?> flusher;
    /** The execution count of the cell being evaluated, for tracebacks that name it. */
    private volatile int cellNumber;
    private final WidgetComms widgets;

    private ReprolabKernel(KernelIO io, InMemoryHistory history, CompletableFuture<JShellSession> session) {
        this(io, history, session, new WidgetScope());
    }

    private ReprolabKernel(KernelIO io, InMemoryHistory history, CompletableFuture<JShellSession> session, WidgetScope scope) {
        super("Reprolab", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".jshell", "java", "java", "java"),
                List.of(new HelpLink("Reprolab getting started", "docs/getting-started.md"),
                        new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/25/docs/api/")),
                history, io, new WidgetComms(scope), new Renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(),
                false, new StringStyler.Builder().build());
        this.kernelIO = io;
        this.history = history;
        this.session = session;
        this.widgets = (WidgetComms) commManager;
        scope.kernel = this;
    }

    /**
     * A kernel whose JShell starts in the background (compiler warm-up and default imports take
     * about a second), so {@code kernel_info} is answered at once and the first cell waits only
     * for what is left.
     */
    public static ReprolabKernel create(String classPath) {
        KernelIO io = new KernelIO();
        CompletableFuture<JShellSession> session = CompletableFuture.supplyAsync(() -> {
            JShellSession started = JShellSession.start(classPath, List.of(), System.out, System.err, System.in);
            started.addImports(DefaultImports.IMPORTS);
            started.eval("1");
            return started;
        });
        return new ReprolabKernel(io, new InMemoryHistory(), session);
    }

    private JShellSession session() {
        return session.join();
    }

    @Override
    public void onStartup() {
        super.onStartup();
        streams.install();
        flusher = FLUSHER.scheduleWithFixedDelay(this::flushStreams, STREAM_FLUSH_MILLIS, STREAM_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        Notebook.install(new KernelSink());
        Progress.setDefault(NotebookProgress::new);
        report.install();
        widgets.install();
    }

    @Override
    public void onShutdown(boolean restart) {
        report.write();
        report.uninstall();
        Notebook.install(null);
        Progress.setDefault(Progress::text);
        widgets.uninstall();
        if (flusher != null) {
            flusher.cancel(false);
        }
        streams.uninstall();
        session.thenAccept(JShellSession::close);
    }

    @Override
    public String getBanner() {
        return "Reprolab " + VERSION + " on Java " + Runtime.version() + " (JShell)";
    }

    @Override
    public Object evalRaw(String code) {
        JShellSession.Value value = evalWithMagics(code);
        return value.present() ? value.value() : null;
    }

    @Override
    public DisplayData eval(String code) {
        JShellSession.Value value = evalWithMagics(code);
        if (!value.present() || value.value() instanceof Interaction) {
            return null; // Lab.interact showed its controls already
        }
        if (value.value() instanceof Widget widget) {
            widget.display();
            return null;
        }
        report.shown(value.value());
        return toDisplayData(Displayers.global().display(value.value()));
    }

    private JShellSession.Value evalWithMagics(String code) {
        Magics.Cell cell = magics.apply(code, session(), cellNumber);
        long start = System.nanoTime();
        try {
            return session().eval(cell.code(), cellNumber, cell.firstLine());
        } finally {
            if (cell.timed()) {
                System.out.printf("Wall time: %.3f s%n", (System.nanoTime() - start) / 1e9);
            }
        }
    }

    @Override
    public DisplayData inspect(String code, int cursor, boolean detail) {
        String text = session().inspect(code, cursor, true, detail);
        if (text.isBlank()) {
            return null;
        }
        // Markdown for front ends that render it (JupyterLab's tooltip); plain text reads the same
        DisplayData data = new DisplayData(text);
        data.putData("text/markdown", text);
        return data;
    }

    @Override
    public ReplacementOptions complete(String code, int cursor) {
        JShellSession.Completion completion = session().complete(code, cursor);
        return new ReplacementOptions(completion.matches(), completion.start(), completion.end());
    }

    @Override
    public String isComplete(String code) {
        return switch (session().readiness(code)) {
            case JShellSession.Readiness.Complete c -> IS_COMPLETE_YES;
            case JShellSession.Readiness.Invalid i -> IS_COMPLETE_BAD;
            case JShellSession.Readiness.Incomplete incomplete -> incomplete.indent();
        };
    }

    /**
     * Stops the running cell; with no cell running, a widget callback (an interactive plot's slow
     * render) if one runs, else the threads that cells started and left running (a cell's interrupt
     * error says how many there are).
     */
    @Override
    public void interrupt() {
        if (!session.isDone()) {
            return;
        }
        if (session().isRunning()) {
            session().stop();
        } else if (!widgets.interruptCallback()) {
            session().stopBackgroundThreads();
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOk(name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        boolean restart = message.getContent().isRestart();
        env.setBusyDeferIdle();
        env.defer().reply(OkReply.shutdown(restart));
        onShutdown(restart);
        env.resolveDeferrals();
        env.markForShutdown();
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(OkReply.interrupt());
        interrupt();
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        EnumSet<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request) {
            case HistoryRequest.Tail tail -> history.lookupTail(tail.getMaxReturnLength(), flags);
            case HistoryRequest.Range range -> history.lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            case HistoryRequest.Search search -> {
                if (search.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
            default -> List.of();
        };
        env.reply(new HistoryTuplesReply(entries));
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        int count = request.isSilent() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!request.isSilent()) {
            env.publish(new PublishExecuteInput(code, count));
        }
        replaceOutputStreams(env);
        kernelIO.attach(env);
        kernelIO.allowStdin(request.isStdinEnabled());
        cellNumber = count;
        env.defer(() -> kernelIO.detach(env));
        String outputText = null;
        try {
            Optional<String> page = pagerTarget(code).map(target -> session().inspect(target.name(), target.name().length(), true, target.source()));
            if (page.isPresent()) {
                String text = page.get().isBlank() ? "No documentation found for " + code.strip() : page.get();
                env.defer().reply(new ExecuteReplyWithPayload(count, List.of(ExecuteReplyWithPayload.page(text))));
                return;
            }
            if (!request.isSilent()) report.started(code);
            DisplayData result = eval(code);
            flushStreams();
            if (result != null && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, result));
                outputText = String.valueOf(result.getData(MIMEType.TEXT_PLAIN));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } catch (CellException e) {
            replyError(env, count, e.name(), e.getMessage(), e.traceback());
        } catch (RuntimeException | LinkageError e) {
            // a kernel-side failure: report it like a cell error, and keep the kernel alive
            replyError(env, count, e.getClass().getName(), String.valueOf(e.getMessage()), formatError(e));
        } catch (OutOfMemoryError e) {
            // the heap filled up outside the snippet (while reporting, rendering a result...):
            // the cell's data is garbage by now; the kernel answers and lives on
            CellException report = CellException.outOfMemory(e);
            replyError(env, count, report.name(), report.getMessage(), report.traceback());
        } finally {
            if (request.shouldStoreHistory() && !request.isSilent()) {
                history.record(count, code, outputText);
            }
            report.finished();
        }
    }

    private void replyError(ShellReplyEnvironment env, int count, String name, String message, List<String> traceback) {
        flushStreams();
        env.publish(new PublishError(name, message, traceback));
        ErrorReply error = new ErrorReply(name, message, traceback);
        error.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
    }

    /**
     * Points {@code System.out}/{@code System.err} at this cell (see {@link CellStreams}: threads
     * the cell starts keep writing to it after it ended) and {@code System.in} at the front end.
     */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        InputStream oldIn = System.in;
        System.setIn(kernelIO.in);
        CellStreams.CellOutput cell = streams.begin(env);
        env.defer(() -> {
            streams.end(cell);
            System.setIn(oldIn);
        });
    }

    /**
     * Sends buffered output. Runs every {@link #STREAM_FLUSH_MILLIS} ms on the flusher thread,
     * where an exception would cancel the schedule for good: a full heap or a closed socket costs
     * one flush, not all later output.
     */
    private void flushStreams() {
        try {
            streams.flushAll();
        } catch (RuntimeException | OutOfMemoryError e) {
            // the next flush tries again
        }
    }

    /** What a {@code ?}/{@code ??} cell asks the pager for: a name, and whether to add its source ({@code ??}). */
    record PagerTarget(String name, boolean source) {}

    /** {@code Math.max?}, {@code ?Math.max} or, with the source, {@code Math.max??}: what to show in the pager, if the cell asks for it. */
    static Optional<PagerTarget> pagerTarget(String code) {
        Matcher m = PAGER.matcher(code);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(2) != null
                ? new PagerTarget(m.group(2), m.group(1).length() == 2)
                : new PagerTarget(m.group(3), m.group(4).length() == 2));
    }

    static DisplayData toDisplayData(Map<String, String> bundle) {
        DisplayData data = new DisplayData();
        bundle.forEach(data::putData);
        return data;
    }

    @Override
    public List<String> formatError(Throwable e) {
        List<String> lines = new ArrayList<>();
        lines.add(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        for (StackTraceElement frame : e.getStackTrace()) {
            lines.add("    at " + frame);
        }
        return lines;
    }

    /**
     * Lends widget callbacks what a cell has: the kernel to itself (no cell runs meanwhile), output
     * answering the message that triggered them (so an output widget capturing that message shows it).
     */
    private static final class WidgetScope implements WidgetComms.Scope {
        private volatile ReprolabKernel kernel;

        @Override
        public void run(ShellReplyEnvironment env, Runnable body) {
            synchronized (kernel) {
                CellStreams.CellOutput cell = kernel.streams.begin(env);
                try {
                    body.run();
                } finally {
                    kernel.streams.end(cell);
                    kernel.flushStreams();
                }
            }
        }

        @Override
        public void flush() {
            kernel.flushStreams();
        }

        @Override
        public ShellReplyEnvironment cell() {
            CellStreams.CellOutput cell = kernel.streams.target();
            return cell == null ? null : cell.env;
        }
    }

    /**
     * Sends {@code display(...)} calls to the cell that is running, or, from a thread a cell
     * started, to that cell after it ended.
     */
    private final class KernelSink implements Notebook.DisplaySink {
        private ShellReplyEnvironment env() {
            CellStreams.CellOutput cell = streams.target();
            return cell == null ? null : cell.env;
        }

        @Override
        public void display(Map<String, String> bundle, String displayId) {
            ShellReplyEnvironment env = env();
            if (env == null) {
                return;
            }
            flushStreams();
            DisplayData data = toDisplayData(bundle);
            if (displayId != null) {
                data.setDisplayId(displayId);
            }
            env.publish(new PublishDisplayData(data));
        }

        @Override
        public void update(String displayId, Map<String, String> bundle) {
            ShellReplyEnvironment env = env();
            if (env == null) {
                return;
            }
            DisplayData data = toDisplayData(bundle);
            data.setDisplayId(displayId);
            env.publish(new PublishUpdateDisplayData(data));
        }

        @Override
        public void clearOutput(boolean wait) {
            ShellReplyEnvironment env = env();
            if (env != null) {
                flushStreams();
                env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
            }
        }
    }
}
