package org.reprolab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dflib.jjava.jupyter.channels.JupyterOutputStream;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

/**
 * Where {@code System.out} and {@code System.err} go while the kernel runs.
 *
 * <p>Installed once, for every thread: output goes to the cell that is running; with no cell
 * running, to the cell that started the writing thread (the thread inherits its cell, as in
 * ipykernel, and front ends show the text under that cell); output of a thread no cell started
 * waits for the next cell. It used to go to the server log once its cell had ended.
 *
 * <p>Output is buffered and sent every {@link ReprolabKernel#STREAM_FLUSH_MILLIS} ms by
 * {@link #flushAll}, as ipykernel does: a print in a training loop costs a buffer append rather
 * than a message, and a {@code printf} arrives as one piece.
 */
final class CellStreams {

    /** One cell's two streams, sent with the cell's parent header. */
    static final class CellOutput {
        final ShellReplyEnvironment env;
        final PrintStream out;
        final PrintStream err;

        private CellOutput(ShellReplyEnvironment env) {
            this.env = env;
            this.out = new PrintStream(new JupyterOutputStream(env, ShellReplyEnvironment::writeToStdOut), false, StandardCharsets.UTF_8);
            this.err = new PrintStream(new JupyterOutputStream(env, ShellReplyEnvironment::writeToStdErr), false, StandardCharsets.UTF_8);
        }

        private void flush() {
            out.flush();
            err.flush();
        }
    }

    /** Output kept for the next cell is cut beyond this many bytes per stream. */
    static final int PENDING_LIMIT = 1 << 20;

    private static final InheritableThreadLocal<CellOutput> STARTED_BY = new InheritableThreadLocal<>();

    private final Set<CellOutput> unflushed = ConcurrentHashMap.newKeySet();
    private final ByteArrayOutputStream pendingOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream pendingErr = new ByteArrayOutputStream();
    private volatile CellOutput running;
    private PrintStream originalOut;
    private PrintStream originalErr;

    /** Makes {@code System.out} and {@code System.err} follow the cells. */
    synchronized void install() {
        if (originalOut == null) {
            originalOut = System.out;
            originalErr = System.err;
            System.setOut(new PrintStream(new Router(false), false, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Router(true), false, StandardCharsets.UTF_8));
        }
    }

    /** Gives {@code System.out} and {@code System.err} back to the process. */
    synchronized void uninstall() {
        if (originalOut != null) {
            flushAll();
            System.setOut(originalOut);
            System.setErr(originalErr);
            originalOut = null;
            originalErr = null;
        }
    }

    /** A cell starts on the calling thread: it and the threads it starts write to {@code env}. */
    CellOutput begin(ShellReplyEnvironment env) {
        CellOutput cell = new CellOutput(env);
        synchronized (pendingOut) {
            cell.out.writeBytes(pendingOut.toByteArray());
            cell.err.writeBytes(pendingErr.toByteArray());
            pendingOut.reset();
            pendingErr.reset();
        }
        unflushed.add(cell);
        STARTED_BY.set(cell);
        running = cell;
        return cell;
    }

    /** The cell ended: what it wrote is sent; its threads keep writing to it. */
    void end(CellOutput cell) {
        if (running == cell) {
            running = null;
        }
        STARTED_BY.remove();
        cell.flush();
    }

    /** Sends what every cell's streams hold. */
    void flushAll() {
        for (CellOutput cell : unflushed) {
            unflushed.remove(cell);
            cell.flush();
        }
    }

    /** The cell that output and displays of the calling thread belong to now, or {@code null}. */
    CellOutput target() {
        CellOutput cell = running;
        return cell != null ? cell : STARTED_BY.get();
    }

    /** {@code System.out} or {@code System.err}: each write goes to {@link #target()}'s stream. */
    private final class Router extends OutputStream {
        private final boolean isErr;

        Router(boolean isErr) {
            this.isErr = isErr;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            CellOutput cell = target();
            if (cell != null) {
                (isErr ? cell.err : cell.out).write(bytes, offset, length);
                unflushed.add(cell);
                return;
            }
            synchronized (pendingOut) {
                ByteArrayOutputStream pending = isErr ? pendingErr : pendingOut;
                if (pending.size() + length <= PENDING_LIMIT) {
                    pending.write(bytes, offset, length);
                }
            }
        }

        @Override
        public void flush() {
            CellOutput cell = target();
            if (cell != null) {
                (isErr ? cell.err : cell.out).flush();
            }
        }
    }
}
