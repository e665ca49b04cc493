"""The Reprolab kernel against the official Jupyter conformance suite, plus what the suite does not
cover: interrupting a CPU-bound loop, output from background threads (during and after their
cell), stopping them, updatable displays, rich displays of charts and data frames, readable
errors, a full heap, and shutdown.

Run by KernelConformanceTest (JUnit) with JUPYTER_PATH pointing at a kernelspec written for the
test class path; runnable by hand the same way:
    JUPYTER_PATH=kernels/target/jupyter /usr/bin/python3 -m pytest -q kernels/src/test/python
"""
import os
import subprocess
import time
import unittest
from queue import Empty

import jupyter_kernel_test as jkt
from jupyter_client.utils import run_sync

KERNEL = os.environ.get("REPROLAB_KERNEL_NAME", "reprolab")


class ReprolabKernelTests(jkt.KernelTests):
    kernel_name = KERNEL
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    # samples changed from the first version's (issue 13): the suite must hold for any fair sample
    completion_samples = [
        {"text": "Math.sq", "matches": {"sqrt("}},
        {"text": "Long.MAX_V", "matches": {"MAX_VALUE"}},
        {"text": "var c = XYChartBuild", "matches": {"XYChartBuilder"}},
    ]
    complete_code_samples = ["2 + 2", "double y = Math.sqrt(2);", "int twice(int n) { return 2 * n; }",
                             'String s = "a"; s.length()']
    incomplete_code_samples = ["while (true) {", "double[] v = {1.0,", "class Box {", "Math.max(1,"]
    # analyzeCompletion alone called the first three complete; javac's parser does not
    invalid_code_samples = ["int 3x = 1;", "double d = * 2;", "int y = 1 2;", "}"]
    code_generate_error = 'throw new RuntimeException("boom");'
    code_execute_result = [
        {"code": "3 * 14", "result": "42"},
        {"code": '"x".repeat(3)', "result": '"xxx"'},
        {"code": "java.util.List.of(4, 5)", "result": "[4, 5]"},
        {"code": "Math.max(2, 7)", "result": "7"},
    ]
    code_display_data = [
        {"code": 'html("<b>hi</b>");', "mime": "text/html"},
        {"code": 'markdown("**hi**");', "mime": "text/markdown"},
        {"code": "display(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
        {"code": 'display(new XYChartBuilder().width(200).height(150).build());', "mime": "image/png"},
        {"code": 'display(new XYChartBuilder().width(200).height(150).build());', "mime": "image/svg+xml"},
        {"code": 'display(DataFrame.of(new double[][]{{1, 2}, {3, 4}}, "a", "b"));', "mime": "text/html"},
    ]
    code_history_pattern = "3 ? 14"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math"
    code_clear_output = "clearOutput();"
    code_page_something = "Math.max?"

    # ---- beyond the official suite ----

    def run_cell(self, code, timeout=30):
        self.flush_channels()
        return self.execute_helper(code, timeout=timeout)

    def test_interrupt_stops_a_cpu_bound_loop_and_the_kernel_lives_on(self):
        self.flush_channels()
        msg_id = self.kc.execute("long spins = 0; while (true) { spins++; }")
        time.sleep(1.5)
        started = time.time()
        # what KernelManager.interrupt_kernel() sends in message mode, on our client's control channel
        self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertLess(time.time() - started, 10)
        interrupt_reply = run_sync(self.kc.control_channel.get_msg)(timeout=5)
        self.assertEqual(interrupt_reply["msg_type"], "interrupt_reply")
        self.assertEqual(interrupt_reply["content"]["status"], "ok")
        reply, outputs = self.run_cell("spins > 0")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")

    def test_output_from_a_background_thread_reaches_the_cell(self):
        reply, outputs = self.run_cell(
            'Thread t = new Thread(() -> System.out.println("from the worker"));\n'
            't.start(); t.join();')
        self.assertEqual(reply["content"]["status"], "ok")
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("from the worker", text)

    def test_output_of_a_thread_after_its_cell_ended_reaches_that_cell(self):
        self.flush_channels()
        msg_id = self.kc.execute(
            'new Thread(() -> { try { Thread.sleep(800); } catch (InterruptedException e) { }\n'
            '    System.out.println("late from the worker"); }).start();')
        self.assertEqual(shell_reply(self.kc, msg_id, timeout=30)["content"]["status"], "ok")
        deadline = time.time() + 10
        late = None
        while late is None and time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except Empty:
                continue
            if msg["msg_type"] == "stream" and "late from the worker" in msg["content"]["text"]:
                late = msg
        self.assertIsNotNone(late, "the thread's output never reached the notebook")
        self.assertEqual(late["parent_header"]["msg_id"], msg_id)
        self.assertEqual(late["content"]["name"], "stdout")

    def test_interrupt_with_no_cell_running_stops_the_threads_cells_left_running(self):
        reply, _ = self.run_cell(
            "Thread lingering = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) { } });\n"
            "lingering.start();")
        self.assertEqual(reply["content"]["status"], "ok")
        self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))
        interrupt_reply = run_sync(self.kc.control_channel.get_msg)(timeout=5)
        self.assertEqual(interrupt_reply["msg_type"], "interrupt_reply")
        reply, outputs = self.run_cell("lingering.join(10_000);\nlingering.isAlive()")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "false")

    def test_print_without_newline_is_flushed_at_the_end_of_the_cell(self):
        reply, outputs = self.run_cell('System.out.print("no newline");')
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertEqual(text, "no newline")

    def test_printf_pieces_arrive_as_one_stream_message(self):
        reply, outputs = self.run_cell('System.out.printf("loss = %.3f%n", 0.25);')
        streams = [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"]
        self.assertEqual(streams, ["loss = 0.250\n"])

    def test_a_loop_of_prints_is_batched_not_one_message_per_line(self):
        reply, outputs = self.run_cell('for (int i = 0; i < 2000; i++) System.out.println("line " + i);')
        streams = [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"]
        self.assertEqual("".join(streams).count("\n"), 2000)
        self.assertLess(len(streams), 50)

    def test_update_display_data_replaces_a_display_in_place(self):
        reply, outputs = self.run_cell('var handle = displayHandle("first");\nhandle.update("second");')
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in outputs]
        self.assertIn("display_data", kinds)
        self.assertIn("update_display_data", kinds)
        shown = [m for m in outputs if m["msg_type"] == "display_data"][0]
        update = [m for m in outputs if m["msg_type"] == "update_display_data"][0]
        display_id = shown["content"]["transient"]["display_id"]
        self.assertEqual(update["content"]["transient"]["display_id"], display_id)
        self.assertEqual(update["content"]["data"]["text/plain"], '"second"')

    def test_a_chart_result_renders_as_png_and_svg(self):
        reply, outputs = self.run_cell(
            'var chart = new XYChartBuilder().width(300).height(200).title("line").build();\n'
            'chart.addSeries("y", new double[]{0, 1, 2}, new double[]{0, 1, 4});\n'
            'chart')
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("image/png", data)
        self.assertTrue(data["image/svg+xml"].startswith("<svg"), data["image/svg+xml"][:80])
        self.assertIn("XYChart", data["text/plain"])

    def test_a_data_frame_result_renders_as_an_html_table(self):
        reply, outputs = self.run_cell('DataFrame.of(new double[][]{{1.5, 2}, {3, 4}}, "a", "b")')
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("<th>a</th><th>b</th>", data["text/html"])
        self.assertIn("<td>1.5</td>", data["text/html"])

    def test_a_tensor_shows_its_values_and_where_it_lives(self):
        reply, outputs = self.run_cell("Tensor.of(new double[][]{{1, 2}, {3, 4}})")
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("tensor([[1., 2.],", data["text/plain"])
        self.assertIn("shape [2, 2]", data["text/html"])
        self.assertIn("device jvm", data["text/html"])

    def test_the_readme_tour_runs(self):
        reply, outputs = self.run_cell(
            "var w = Tensor.randn(0, 3, 2).requiresGrad(true);\n"
            "var loss = w.tanh().square().sum();\n"
            "loss.backward();\n"
            "w.grad().shape()")
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        data = [m for m in outputs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertEqual(data["text/plain"], "[3, 2]")

    def test_time_magic_reports_wall_time_and_keeps_the_value(self):
        reply, outputs = self.run_cell("%%time\nThread.sleep(50);\n6 * 7")
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertRegex(text, r"Wall time: 0\.\d\d\d s")
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
        self.assertEqual(result["content"]["data"]["text/plain"], "42")

    def test_classpath_magic_adds_a_directory_of_classes(self):
        import tempfile, subprocess, os as _os
        src = tempfile.mkdtemp()
        with open(_os.path.join(src, "Greeter.java"), "w") as f:
            f.write("package demo; public class Greeter { public static String hi() { return \"hi from a jar\"; } }")
        javac = _os.path.join(_os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "javac")
        subprocess.run([javac, "-d", src, _os.path.join(src, "Greeter.java")], check=True)
        reply, outputs = self.run_cell(f"%classpath add {src}\ndemo.Greeter.hi()")
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
        self.assertEqual(result["content"]["data"]["text/plain"], '"hi from a jar"')

    def test_shift_tab_shows_the_librarys_javadoc_as_markdown(self):
        self.flush_channels()
        code = "var y = Tensor.ones(2, 2).matmul("
        msg_id = self.kc.inspect(code, len(code), detail_level=0)
        reply = self.get_non_kernel_info_reply(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertTrue(reply["content"]["found"], reply["content"])
        data = reply["content"]["data"]
        self.assertIn("Matrix product with NumPy semantics", data["text/plain"])
        self.assertEqual(data["text/markdown"], data["text/plain"])
        self.assertNotIn("Source:", data["text/plain"])

    def test_question_mark_pages_the_javadoc_with_the_paper_it_cites(self):
        reply, outputs = self.run_cell("ScaleByAdam?")
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        page = reply["content"]["payload"][0]["data"]["text/plain"]
        self.assertIn("Kingma and Ba", page)
        self.assertNotIn("Source:", page)
        self.assertFalse([m for m in outputs if m["msg_type"] in ("execute_result", "error")], outputs)

    def test_double_question_mark_pages_the_javadoc_and_the_source(self):
        reply, outputs = self.run_cell("Tensor.matmul??")
        self.assertEqual(reply["content"]["status"], "ok", outputs)
        page = reply["content"]["payload"][0]["data"]["text/plain"]
        self.assertIn("Matrix product with NumPy semantics", page)
        self.assertRegex(page, r"Source: \S*org/reprolab/tensor/Tensor\.java:\d+")
        self.assertIn("public Tensor matmul(Tensor o) {", page)

    def test_lsmagic_lists_the_magics_with_their_help(self):
        reply, outputs = self.run_cell("%lsmagic")
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        for magic in ("%maven", "%mavenRepo ID URL", "%loadFromPOM", "%jars GLOB", "%load SCRIPT", "%%time"):
            self.assertIn(magic, text)

    def test_an_unknown_magic_is_a_clear_error(self):
        reply, outputs = self.run_cell("%nosuchmagic\n1")
        error = [m for m in outputs if m["msg_type"] == "error"][0]["content"]
        self.assertEqual(error["ename"], "MagicError")
        self.assertIn("%lsmagic", error["evalue"])

    def test_errors_are_readable_and_hide_kernel_internals(self):
        reply, outputs = self.run_cell('int[] xs = new int[2];\nxs[5] = 1;')
        self.assertEqual(reply["content"]["status"], "error")
        error = [m for m in outputs if m["msg_type"] == "error"][0]["content"]
        self.assertEqual(error["ename"], "java.lang.ArrayIndexOutOfBoundsException")
        self.assertTrue(error["traceback"][0].startswith("java.lang.ArrayIndexOutOfBoundsException"))
        joined = "\n".join(error["traceback"])
        self.assertNotIn("jdk.jshell", joined)
        self.assertNotIn("org.reprolab.kernel", joined)

    def test_compile_errors_point_at_the_code(self):
        reply, outputs = self.run_cell("int y = notDefined + 1;")
        error = [m for m in outputs if m["msg_type"] == "error"][0]["content"]
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn("cannot find symbol", error["evalue"])
        self.assertIn("    int y = notDefined + 1;", error["traceback"])

    def test_the_library_and_default_imports_are_preloaded(self):
        reply, outputs = self.run_cell("Rosenbrock.class.getName()")
        self.assertEqual(reply["content"]["status"], "ok", outputs)


def control_request(kc, msg_type, timeout=10):
    """Sends a request on the control channel and returns its reply."""
    kc.control_channel.send(kc.session.msg(msg_type, {}))
    return run_sync(kc.control_channel.get_msg)(timeout=timeout)


def shell_reply(kc, msg_id, timeout=20):
    """The shell channel's reply to request msg_id, skipping replies to earlier requests."""
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply


def kernel_state(km):
    """The kernel JVM's thread dump and heap summary from jcmd (beside the kernel's java), for a failure message."""
    try:
        pid = km.provisioner.process.pid
        java = km.kernel_spec.argv[0]
        jcmd = os.path.join(os.path.dirname(java), "jcmd")
        out = []
        for command in ("GC.heap_info", "Thread.print"):
            r = subprocess.run([jcmd, str(pid), command], capture_output=True, text=True, timeout=30)
            out.append("$ jcmd %d %s\n%s%s" % (pid, command, r.stdout, r.stderr))
        return "\n".join(out)[:20000]
    except Exception as e:  # the report must not hide the failure it explains
        return "(no kernel state: %r)" % (e,)


def assert_shutdown_ends_the_process(test, km, kc):
    """shutdown_request is answered ok on the control channel and the kernel process ends within 15 s."""
    kc.shutdown()
    reply = run_sync(kc.control_channel.get_msg)(timeout=15)
    test.assertEqual(reply["msg_type"], "shutdown_reply")
    test.assertEqual(reply["content"]["status"], "ok")
    deadline = time.time() + 15
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.1)
    test.assertFalse(km.is_alive())


class OutOfMemoryTest(unittest.TestCase):
    """A kernel limited to 384 MB (REPROLAB_SMALL_HEAP_KERNEL_NAME) whose heap a cell fills three times."""

    def execute(self, km, kc, code, timeout=120):
        outputs = []
        started = time.time()
        try:
            reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        except TimeoutError:
            # a slow fill and a hung kernel look alike from here: the kernel's threads and heap tell them apart
            self.fail("no reply within %g s (fills so far took %s s); the kernel's state:\n%s"
                      % (timeout, self.fills, kernel_state(km)))
        self.fills.append(round(time.time() - started, 1))
        return reply, outputs

    def test_filling_the_heap_three_times_leaves_every_channel_answering(self):
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name=os.environ.get("REPROLAB_SMALL_HEAP_KERNEL_NAME", KERNEL),
                                  startup_timeout=60)
        self.fills = []
        try:
            for attempt in range(3):
                reply, outputs = self.execute(
                    km, kc, "var hog = new ArrayList<double[]>();\nwhile (true) hog.add(new double[1 << 16]);")
                content = reply["content"]
                self.assertEqual(content["status"], "error", outputs)
                self.assertEqual(content["ename"], "java.lang.OutOfMemoryError")
                self.assertRegex(content["evalue"], r"^Java heap space: the kernel's heap is limited to 3\d\d MiB \(-Xmx\)")
                self.assertIn("REPROLAB_KERNEL_HEAP=16g", content["evalue"])
                self.assertIn("JDK_JAVA_OPTIONS=-Xmx16g", content["evalue"])
                self.assertEqual(content["traceback"][-1],
                                 "To give the memory back, the variables this cell declared were dropped: hog")
                self.assertTrue(kc.is_alive(), "no heartbeat after filling the heap, attempt %d" % attempt)
                info = control_request(kc, "kernel_info_request")
                self.assertEqual(info["msg_type"], "kernel_info_reply")
                self.assertEqual(info["content"]["status"], "ok")
            # the memory came back: 240 MB of the 384 MB heap in one piece
            reply, outputs = self.execute(km, kc, "new double[30_000_000].length")
            self.assertEqual(reply["content"]["status"], "ok", outputs)
            results = [m for m in outputs if m["msg_type"] == "execute_result"]
            self.assertEqual(results[0]["content"]["data"]["text/plain"], "30000000")
            # interrupt still stops a loop
            msg_id = kc.execute("long spins = 0; while (true) { spins++; }")
            time.sleep(1.0)
            self.assertEqual(control_request(kc, "interrupt_request")["content"]["status"], "ok")
            self.assertEqual(shell_reply(kc, msg_id)["content"]["ename"], "Interrupted")
            # and shutdown ends the process
            assert_shutdown_ends_the_process(self, km, kc)
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)


class ShutdownTest(unittest.TestCase):
    def test_shutdown_request_ends_the_kernel_process(self):
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name=KERNEL)
        try:
            kc.execute_interactive("int answer = 42;", timeout=30)
            assert_shutdown_ends_the_process(self, km, kc)
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
