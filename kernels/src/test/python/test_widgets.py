"""The Jupyter widget protocol as a front end speaks it, through jupyter_client: comm_open with the
state ipywidgets 8 front ends expect, updates both ways, clicks, Lab.interact re-rendering into its
output area (debounced, errors shown there, the kernel answering throughout), the ipywidgets 8 control
comm, and the ipywidgets 6 dialect of Debian's classic notebook.

Run by WidgetsTest (JUnit) with JUPYTER_PATH pointing at a kernelspec for the test class path; by hand:
    JUPYTER_PATH=kernels/target/jupyter REPROLAB_KERNEL_NAME=reprolab-test /usr/bin/python3 -m pytest -q kernels/src/test/python/test_widgets.py
"""
import os
import time
import unittest
import uuid
from queue import Empty

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("REPROLAB_KERNEL_NAME", "reprolab")
VIEW = "application/vnd.jupyter.widget-view+json"


class WidgetClient:
    """A kernel and a client that plays the widget front end: it keeps every comm the kernel opens."""

    def __init__(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        self.models = {}      # comm id -> state, as the front end would hold it
        self.opened = []      # comm_open messages in order
        self.messages = []    # every iopub message seen

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def pump(self, until=None, timeout=10.0):
        """Reads iopub, applying comm messages, until until(msg) is true for a message or timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Empty:
                continue
            self.messages.append(msg)
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open" and content["target_name"] == "jupyter.widget":
                data = content["data"]
                self.models[content["comm_id"]] = dict(data.get("state", data))
                self.opened.append(msg)
            elif kind == "comm_msg" and content["comm_id"] in self.models:
                data = content["data"]
                if data.get("method") == "update":
                    self.models[content["comm_id"]].update(data["state"])
            if until is not None and until(msg):
                return msg
        if until is not None:
            raise AssertionError("no matching iopub message within %s s; saw %s" % (
                timeout, [(m["msg_type"], m["content"]) for m in self.messages[-12:]]))
        return None

    def execute(self, code, timeout=60):
        """Runs a cell; returns (reply, iopub messages answering it up to idle)."""
        start = len(self.messages)
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        self.pump(lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                  and m["content"]["execution_state"] == "idle", timeout)
        assert reply["content"]["status"] == "ok", reply["content"]
        return reply, [m for m in self.messages[start:] if m["parent_header"].get("msg_id") == msg_id]

    def value(self, expression):
        _, msgs = self.execute(expression)
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        assert results, msgs
        return results[0]["content"]["data"]["text/plain"]

    def comm_msg(self, comm_id, data):
        """Sends a comm_msg as a front end does; returns its msg_id."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def comm_open(self, target, data=None):
        comm_id = uuid.uuid4().hex
        self.kc.shell_channel.send(self.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": target,
                                                                     "data": data or {}}))
        return comm_id

    def model(self, name):
        """The comm id of the last opened model named name."""
        return [m["content"]["comm_id"] for m in self.opened if self.models[m["content"]["comm_id"]]["_model_name"] == name][-1]


class ModernProtocolTests(unittest.TestCase):
    """What JupyterLab, Notebook 7, VS Code and nbclient (ipywidgets 8, protocol 2.1) see."""

    @classmethod
    def setUpClass(cls):
        cls.w = WidgetClient()

    @classmethod
    def tearDownClass(cls):
        cls.w.close()

    def test_a_slider_opens_with_the_ipywidgets_8_state_and_shows_its_view(self):
        _, msgs = self.w.execute('var s = Widgets.intSlider("n", 0, 10, 3); s')
        opens = [m for m in msgs if m["msg_type"] == "comm_open"]
        slider = opens[-1]
        self.assertEqual(slider["metadata"].get("version"), "2.1.0")
        self.assertEqual(slider["content"]["data"]["buffer_paths"], [])
        state = slider["content"]["data"]["state"]
        for key, expected in {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0",
                              "_model_name": "IntSliderModel", "_view_module": "@jupyter-widgets/controls",
                              "_view_module_version": "2.0.0", "_view_name": "IntSliderView", "description": "n",
                              "min": 0, "max": 10, "step": 1, "value": 3, "readout_format": "d",
                              "continuous_update": True, "orientation": "horizontal", "behavior": "drag-tap",
                              "_dom_classes": []}.items():
            self.assertEqual(state[key], expected, key)
        # the layout and style it references were opened before it, with their own modules
        layout = self.w.models[state["layout"].removeprefix("IPY_MODEL_")]
        self.assertEqual((layout["_model_name"], layout["_model_module"], layout["_model_module_version"]),
                         ("LayoutModel", "@jupyter-widgets/base", "2.0.0"))
        style = self.w.models[state["style"].removeprefix("IPY_MODEL_")]
        self.assertEqual((style["_model_name"], style["_view_module"]), ("SliderStyleModel", "@jupyter-widgets/base"))
        views = [m for m in msgs if m["msg_type"] == "display_data" and VIEW in m["content"]["data"]]
        self.assertEqual(views[-1]["content"]["data"][VIEW],
                         {"version_major": 2, "version_minor": 0, "model_id": slider["content"]["comm_id"]})

    def test_comm_info_lists_the_widgets(self):
        self.w.execute('var info = Widgets.checkbox("on", true); info')
        self.w.kc.shell_channel.send(self.w.kc.session.msg("comm_info_request", {"target_name": "jupyter.widget"}))
        reply = self.w.kc.get_shell_msg(timeout=10)
        while reply["msg_type"] != "comm_info_reply":
            reply = self.w.kc.get_shell_msg(timeout=10)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn(self.w.model("CheckboxModel"), reply["content"]["comms"])

    def test_a_front_end_move_reaches_java_and_a_java_update_reaches_the_front_end(self):
        self.w.execute('var seen = new CopyOnWriteArrayList<Object>();'
                       'var f = Widgets.floatSlider("x", 0, 1, 0.1, 0.5); f.observe("value", c -> seen.add(c.newValue())); f')
        slider = self.w.model("FloatSliderModel")
        self.w.comm_msg(slider, {"method": "update", "state": {"value": 0.7}, "buffer_paths": []})
        deadline = time.time() + 10
        while self.w.value("seen.toString()") != '"[0.7]"':
            self.assertLess(time.time(), deadline, "the observer never saw the move")
            time.sleep(0.1)
        self.assertEqual(self.w.value("f.doubleValue()"), "0.7")
        _, msgs = self.w.execute("f.value(0.25);")
        updates = [m["content"]["data"] for m in msgs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == slider]
        self.assertIn({"method": "update", "state": {"value": 0.25}, "buffer_paths": []}, updates)

    def test_a_button_click_runs_its_handler(self):
        self.w.execute('var clicks = new java.util.concurrent.atomic.AtomicInteger();'
                       'var b = Widgets.button("go").onClick(clicks::incrementAndGet); b')
        button = self.w.model("ButtonModel")
        self.w.comm_msg(button, {"method": "custom", "content": {"event": "click"}})
        self.w.comm_msg(button, {"method": "custom", "content": {"event": "click"}})
        deadline = time.time() + 10
        while self.w.value("clicks.get()") != "2":
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)

    def test_interact_renders_into_its_output_area_and_coalesces_rapid_moves(self):
        _, msgs = self.w.execute(
            'var renders = new java.util.concurrent.atomic.AtomicInteger();'
            'var it = Lab.interact(Control.slider("k", 1, 100, 5), k -> { renders.incrementAndGet();'
            ' try { Thread.sleep(200); } catch (InterruptedException e) {} return "k=" + k; });')
        output = self.w.model("OutputModel")
        box = self.w.models[self.w.model("VBoxModel")]
        slider = self.w.model("IntSliderModel")
        self.assertEqual(box["children"], ["IPY_MODEL_" + slider, "IPY_MODEL_" + output])
        first = [m for m in msgs if m["msg_type"] == "execute_result" or (
            m["msg_type"] == "display_data" and m["content"]["data"].get("text/plain") == '"k=5"')]
        self.assertTrue(first, "the first rendering is shown: %s" % [m["msg_type"] for m in msgs])
        # twenty moves in quick succession, as a dragged slider sends them
        started = time.time()
        ids = [self.w.comm_msg(slider, {"method": "update", "state": {"value": k}, "buffer_paths": []}) for k in range(1, 21)]
        # the kernel answers while renders run
        self.assertEqual(self.w.value("1 + 1"), "2")
        last = self.w.pump(lambda m: m["msg_type"] == "display_data"
                           and m["content"]["data"].get("text/plain") == '"k=20"', timeout=20)
        # routed into the output area: the model's msg_id named the message the display answers
        captured = last["parent_header"]["msg_id"]
        self.assertIn(captured, ids)
        self.assertTrue(any(m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == output
                            and m["content"]["data"]["state"].get("msg_id") == captured for m in self.w.messages))
        time.sleep(0.5)
        self.w.pump(timeout=0.5)
        self.assertEqual(self.w.models[output]["msg_id"], "")
        renders = int(self.w.value("renders.get()"))
        print("20 moves: %d renders, %.2f s to the last" % (renders - 1, time.time() - started))
        self.assertLessEqual(renders, 10, "20 rapid moves must coalesce, not render one by one")
        # a move from code goes to the front end and renders too
        _, msgs = self.w.execute('it.set("k", 42);')
        self.assertTrue(any(m["msg_type"] == "comm_msg" and m["content"]["data"].get("state") == {"value": 42}
                            for m in msgs))
        self.w.pump(lambda m: m["msg_type"] == "display_data" and m["content"]["data"].get("text/plain") == '"k=42"')

    def test_an_error_in_the_render_shows_in_the_output_area_and_the_kernel_lives_on(self):
        self.w.execute('var bad = Lab.interact(Control.slider("m", 0, 10, 1), m -> {'
                       ' if (m > 5) throw new IllegalArgumentException("m too large: " + m); return "m=" + m; });')
        output = self.w.model("OutputModel")
        slider = self.w.model("IntSliderModel")
        sent = self.w.comm_msg(slider, {"method": "update", "state": {"value": 9}, "buffer_paths": []})
        error = self.w.pump(lambda m: m["msg_type"] == "error", timeout=10)
        self.assertEqual(error["parent_header"]["msg_id"], sent)
        self.assertIn("m too large: 9", error["content"]["evalue"])
        self.assertTrue(any(m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == output
                            and m["content"]["data"]["state"].get("msg_id") == sent for m in self.w.messages))
        self.assertEqual(self.w.value("2 + 2"), "4")

    def test_the_interrupt_button_stops_a_slow_render(self):
        self.w.execute('var slow = Lab.interact(Control.slider("s", 0, 3, 0), s -> { while (s > 0) {'
                       ' if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("render stopped"); }'
                       ' return "s=" + s; });')
        slider = self.w.model("IntSliderModel")
        sent = self.w.comm_msg(slider, {"method": "update", "state": {"value": 2}, "buffer_paths": []})
        time.sleep(1.5)  # the render is spinning now
        self.w.kc.control_channel.send(self.w.kc.session.msg("interrupt_request", {}))
        error = self.w.pump(lambda m: m["msg_type"] == "error" and m["parent_header"].get("msg_id") == sent, timeout=15)
        self.assertIn("render stopped", error["content"]["evalue"])
        self.assertEqual(self.w.value("3 + 3"), "6")

    def test_the_control_comm_returns_every_widget_state(self):
        self.w.execute('var d = Widgets.dropdown("opt", List.of("adam", "lion"), "lion"); d')
        dropdown = self.w.model("DropdownModel")
        self.assertEqual((self.w.models[dropdown]["index"], self.w.models[dropdown]["_options_labels"]), (1, ["adam", "lion"]))
        control = self.w.comm_open("jupyter.widget.control")
        self.w.comm_msg(control, {"method": "request_states"})
        reply = self.w.pump(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == control, timeout=10)
        states = reply["content"]["data"]["states"]
        self.assertEqual(reply["content"]["data"]["method"], "update_states")
        self.assertEqual(states[dropdown]["model_name"], "DropdownModel")
        self.assertEqual(states[dropdown]["state"]["index"], 1)


class ClassicNotebookDialectTests(unittest.TestCase):
    """What Debian's classic notebook 6.4.12 with its ipywidgets 6 front end (jupyter-js-widgets 2.1) sees."""

    def test_the_version_comm_switches_to_the_ipywidgets_6_dialect(self):
        w = WidgetClient()
        try:
            version = w.comm_open("jupyter.widget.version")
            reply = w.pump(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == version, timeout=10)
            self.assertEqual(reply["content"]["data"], {"version": "~2.1.4"})
            w.comm_msg(version, {"validated": True, "frontend_version": "2.1.4"})
            _, msgs = w.execute('var seen = new CopyOnWriteArrayList<Object>();'
                                'var s = Widgets.intSlider("n", 0, 10, 3); s.observe("value", c -> seen.add(c.newValue())); s')
            slider = w.model("IntSliderModel")
            state = w.models[slider]
            for key, expected in {"_model_module": "jupyter-js-widgets", "_model_module_version": "~2.1.0",
                                  "_view_name": "IntSliderView", "value": 3, "max": 10, "msg_throttle": 1,
                                  "_range": False}.items():
                self.assertEqual(state[key], expected, key)
            self.assertTrue(any(m["msg_type"] == "comm_msg" and m["content"]["data"] == {"method": "display"}
                                and m["content"]["comm_id"] == slider for m in msgs))
            w.comm_msg(slider, {"method": "backbone", "sync_data": {"value": 8}})
            deadline = time.time() + 10
            while w.value("seen.toString()") != '"[8]"':
                self.assertLess(time.time(), deadline)
                time.sleep(0.1)
            _, msgs = w.execute('var d = Widgets.dropdown("opt", List.of("adam", "lion"), "lion"); d')
            self.assertEqual(w.models[w.model("DropdownModel")]["value"], "lion")
        finally:
            w.close()
