"""Widgets as a reader sees them: headless Chromium (Selenium) opens a notebook served by Debian's
classic notebook on 127.0.0.1, runs a cell with Lab.interact (a slider above a figure), moves the
slider with the keyboard, and checks that the figure in the output area changed (and is drawn from the
SVG, not the PNG beside it); then a cell with the
other controls (dropdown, checkbox, log slider, button) checks their state and that a click reaches
its handler.

Bounded in time (REPROLAB_BROWSER_TIMEOUT, 120 s), leaves no processes behind (the server runs in
its own process group, killed in finally; the driver quits in finally), skipped with a clear message
only where chromium, chromedriver or selenium is missing. Writes a screenshot to
REPROLAB_SCREENSHOT if set. Run by WidgetsTest with JUPYTER_PATH holding the test kernelspec.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request
import uuid

KERNEL = os.environ.get("REPROLAB_KERNEL_NAME", "reprolab")
TIMEOUT = float(os.environ.get("REPROLAB_BROWSER_TIMEOUT", "120"))
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
try:
    import selenium  # noqa: F401
    SELENIUM = True
except ImportError:
    SELENIUM = False

CELL = """var it = Lab.interact(Control.slider("frequency", 1, 12, 2), f -> {
    System.out.println("drawn at frequency " + f);
    var chart = new XYChartBuilder().width(480).height(260).title("sin(" + f + " x)").build();
    double[] x = new double[200], y = new double[200];
    for (int i = 0; i < x.length; i++) { x[i] = i * 2 * Math.PI / x.length; y[i] = Math.sin(f * x[i]); }
    chart.addSeries("sin", x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    return chart;
});"""

# every other control, and a button whose handler writes into an output area
GALLERY = """var clicks = new int[1];
var out = Widgets.output();
var go = Widgets.button("resample").onClick(() -> out.replace("clicked " + (++clicks[0])));
Widgets.vbox(Widgets.hbox(Widgets.dropdown("optimizer", List.of("adam", "lion"), "lion"), Widgets.checkbox("warm-up", true)),
             Widgets.logSlider("lr", 1e-4, 1e-1, 1e-2), go, out)"""

# the figure inside the interaction's output area: the SVG or PNG the notebook rendered there
FIGURE_JS = """
const box = document.querySelector('.cell .widget-area .widget-vbox');
const area = box && box.querySelector('.output_wrapper, .jupyter-widgets-output-area, .widget-output');
const figure = area && area.querySelector('svg, img');
return figure ? [figure.outerHTML, area.innerText] : null;
"""


# the cell's outputs as a tree of tag.class names, for failure reports
OUTLINE_JS = """
const outline = (e, depth) => depth > 9 ? '' : '  '.repeat(depth) + e.tagName.toLowerCase()
  + (e.className && e.className.baseVal === undefined ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + '\\n'
  + (e.tagName === 'svg' ? '' : Array.from(e.children).map(c => outline(c, depth + 1)).join(''));
const cell = document.querySelectorAll('.cell')[arguments[0] || 0];
return cell ? Array.from(cell.children).filter(c => !c.classList.contains('input')).map(c => outline(c, 0)).join('') : null;
"""


def processes_mentioning(text):
    """Ids of the processes whose command line holds text (the test's temporary home: the server's kernels name
    their connection file there, chromium its profile), this one excepted."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    if text.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass  # ended meanwhile
    return found


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook(path):
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
             for source in (CELL, GALLERY)]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": KERNEL, "display_name": "Reprolab (test)",
                                                       "language": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    with open(path, "w") as f:
        json.dump(nb, f)


@unittest.skipUnless(CHROMIUM and DRIVER and SELENIUM,
                     "the real-browser widget test needs chromium, chromium-driver and python3-selenium "
                     "(./reprolab setup installs them); found chromium=%s chromedriver=%s selenium=%s"
                     % (CHROMIUM, DRIVER, SELENIUM))
class BrowserWidgetTest(unittest.TestCase):

    def test_moving_a_slider_redraws_the_figure_and_every_control_works(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        deadline = time.time() + TIMEOUT

        def wait(what, check, limit=None):
            end = min(deadline, time.time() + limit) if limit else deadline
            while time.time() < end:
                value = check()
                if value:
                    return value
                time.sleep(0.25)
            raise AssertionError("timed out waiting for " + what)

        home = tempfile.mkdtemp(prefix="reprolab-browser-")
        notebook(os.path.join(home, "widgets.ipynb"))
        port, token = free_port(), uuid.uuid4().hex
        env = dict(os.environ, HOME=home, JUPYTER_CONFIG_DIR=os.path.join(home, "config"),
                   JUPYTER_RUNTIME_DIR=os.path.join(home, "runtime"), JUPYTER_DATA_DIR=os.path.join(home, "data"))
        server = subprocess.Popen(
            ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--ip=127.0.0.1", "--port=%d" % port,
             "--port-retries=0", "--NotebookApp.token=" + token, "--notebook-dir=" + home]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            env=env, stdout=open(os.path.join(home, "server.log"), "w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        driver = None
        try:
            def up():
                try:
                    return urllib.request.urlopen("http://127.0.0.1:%d/api?token=%s" % (port, token), timeout=2).status == 200
                except OSError:
                    return False
            wait("the notebook server", up, 30)
            options = webdriver.ChromeOptions()
            options.binary_location = CHROMIUM
            for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1100,1200", "--user-data-dir=" + os.path.join(home, "chrome")):
                options.add_argument(arg)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            driver = webdriver.Chrome(service=Service(DRIVER), options=options)
            driver.set_page_load_timeout(30)
            driver.get("http://127.0.0.1:%d/notebooks/widgets.ipynb?token=%s" % (port, token))
            wait("the kernel to connect", lambda: driver.execute_script(
                "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel_busy === false"
                " || (window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.info_reply"
                " && Jupyter.notebook.kernel.info_reply.status === 'ok'))"), 60)
            time.sleep(1.0)  # the widget extension's version check answers before the first cell
            driver.execute_script("Jupyter.notebook.select(0); Jupyter.notebook.execute_cell();")
            first = wait("the first figure in the output area", lambda: driver.execute_script(FIGURE_JS))
            handle = wait("the slider", lambda: driver.find_elements(By.CSS_SELECTOR, ".widget-area .ui-slider-handle"))[0]
            handle.click()
            for _ in range(3):
                handle.send_keys(Keys.ARROW_RIGHT)
            self.assertIn("drawn at frequency 2", first[1])
            # XChart's SVG draws its text as paths, so the figure is compared whole (a new curve, a new title), and
            # what the render printed beside it (captured in the output area too) names the frequency it was drawn at
            moved = wait("the figure drawn at the slider's final position", lambda: (
                lambda f: f if f is not None and "drawn at frequency 5" in f[1] else None)(driver.execute_script(FIGURE_JS)))
            self.assertNotEqual(first[0], moved[0])
            # the browser drew the SVG the kernel sent beside the PNG, not the PNG (SVGs over 400 kB are dropped)
            for figure in (first[0], moved[0]):
                self.assertTrue(figure.startswith("<svg"), "the figure came as " + figure[:80])
            readout = driver.find_element(By.CSS_SELECTOR, ".widget-area .widget-readout").text
            self.assertEqual(readout.strip(), "5")
            # the other controls render with their state, and a click reaches its handler
            driver.execute_script("Jupyter.notebook.select(1); Jupyter.notebook.execute_cell();")
            gallery = driver.find_elements(By.CSS_SELECTOR, ".cell")[1]
            button = wait("the button", lambda: gallery.find_elements(By.CSS_SELECTOR, ".widget-subarea button"))[0]
            self.assertEqual(gallery.find_element(By.CSS_SELECTOR, ".widget-area select").get_attribute("value"), "lion")
            self.assertTrue(gallery.find_element(By.CSS_SELECTOR, ".widget-area input[type=checkbox]").is_selected())
            self.assertEqual(len(gallery.find_elements(By.CSS_SELECTOR, ".widget-area .ui-slider-handle")), 1)
            button.click()
            wait("the click handler's output", lambda: "clicked 1" in gallery.find_element(By.CSS_SELECTOR, ".widget-area").text)
            shot = os.environ.get("REPROLAB_SCREENSHOT")
            if shot:
                driver.save_screenshot(shot)
        except Exception:
            if driver is not None:
                # what the reader would have seen, for the failure report
                print("cell outputs:", driver.execute_script(OUTLINE_JS, 0), driver.execute_script(OUTLINE_JS, 1))
                for entry in driver.get_log("browser")[-30:]:
                    print("console:", entry.get("level"), entry.get("message", "")[:300])
            with open(os.path.join(home, "server.log")) as log:
                print("server log:", log.read()[-3000:])
            raise
        finally:
            if driver is not None:
                driver.quit()
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(server.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                server.wait(timeout=10)
            shutil.rmtree(home, ignore_errors=True)
        # nothing it started outlives it: the kernel (its own session, ended by the server's shutdown), chromium
        end = time.time() + 15
        while processes_mentioning(home) and time.time() < end:
            time.sleep(0.25)
        left = processes_mentioning(home)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        self.assertEqual([], left, "processes left behind")
