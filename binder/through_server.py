#!/usr/bin/python3
"""Execute every notebook a running Jupyter notebook server holds, through that server, as a user's
browser does: a session per notebook (so the kernel starts in the notebook's directory), its kernel
driven over the server's websocket, cell after cell, stopping a notebook at its first error.

    through_server.py --url http://127.0.0.1:PORT --token TOKEN [--dir notebooks] [--expect N] [NAME ...]

Checks first that /tree/<dir> answers, that the server offers the reprolab kernel and that it lists
N notebooks; reports /lab's status (the classic notebook has none). Exits 1 when anything fails.
Used by binder/check.sh (./reprolab binder-check) against the Binder image.
"""
import argparse
import asyncio
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


class Server:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": "token " + self.token,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, body=None):
        status, payload = self.request(method, path, body)
        if status >= 300:
            raise RuntimeError(f"{method} {path} answered {status}: {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def wait_until_up(self, path, seconds):
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.request("GET", path)
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.url}{path} did not answer within {seconds} s")
                time.sleep(1)


def message(msg_type, content, session):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                       "username": "binder-check", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}


async def request_reply(socket, request, timeout):
    """Sends a shell request; returns (reply content, iopub messages) once the reply and the
    kernel's idle status for it have both arrived."""
    await socket.write_message(json.dumps(request))
    msg_id, reply, outputs, idle = request["header"]["msg_id"], None, [], False
    deadline = time.monotonic() + timeout
    while reply is None or not idle:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no reply within {timeout} s")
        raw = await asyncio.wait_for(socket.read_message(), left)
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        if isinstance(raw, bytes):
            continue
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if msg["channel"] == "shell" and kind.endswith("_reply"):
            reply = msg["content"]
        elif kind == "status":
            idle = msg["content"]["execution_state"] == "idle"
        elif msg["channel"] == "iopub":
            outputs.append(msg)
    return reply, outputs


async def run_notebook(server, path, timeout):
    model = server.json("GET", "/api/contents/" + path + "?content=1")
    nb = model["content"]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name", "reprolab")
    session = server.json("POST", "/api/sessions",
                          {"path": path, "name": path, "type": "notebook", "kernel": {"name": kernel}})
    client_session = uuid.uuid4().hex
    try:
        url = (server.url.replace("http", "ws", 1) + f"/api/kernels/{session['kernel']['id']}/channels"
               + f"?session_id={client_session}&token={server.token}")
        socket = await websocket_connect(HTTPRequest(url), max_message_size=512 * 1024 * 1024)
        try:
            await request_reply(socket, message("kernel_info_request", {}, client_session), 120)
            cells = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
            figures = 0
            for index, cell in enumerate(cells):
                reply, outputs = await request_reply(socket, message("execute_request", {
                    "code": "".join(cell["source"]), "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}, client_session), timeout)
                figures += sum(1 for m in outputs if m["header"]["msg_type"] in ("display_data", "execute_result")
                               and any(k.startswith("image/") for k in m["content"].get("data", {})))
                if reply.get("status") != "ok":
                    return False, f"code cell {index}: {reply.get('ename')}: {reply.get('evalue')}", len(cells), figures
            return True, "", len(cells), figures
        finally:
            socket.close()
    finally:
        server.request("DELETE", "/api/sessions/" + session["id"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--dir", default="notebooks")
    parser.add_argument("--expect", type=int, default=0, help="how many notebooks the server must list")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--kernel", default="reprolab", help="the kernel the server must offer")
    parser.add_argument("only", nargs="*", help="run only these notebooks (names without .ipynb)")
    args = parser.parse_args()
    server = Server(args.url, args.token)

    status, page = server.wait_until_up(f"/tree/{args.dir}", 180)
    if status != 200:
        print(f"/tree/{args.dir} answered {status}", file=sys.stderr)
        return 1
    print(f"/tree/{args.dir}: {status} ({len(page)} bytes); /lab: {server.request('GET', '/lab')[0]}")
    specs = server.json("GET", "/api/kernelspecs")["kernelspecs"]
    if args.kernel not in specs:
        print(f"the server offers no {args.kernel} kernel, only {sorted(specs)}", file=sys.stderr)
        return 1
    listed = sorted(e["path"] for e in server.json("GET", f"/api/contents/{args.dir}")["content"]
                    if e["type"] == "notebook")
    if len(listed) < args.expect or not listed:
        print(f"the server lists {len(listed)} notebooks under {args.dir}/, expected {args.expect}", file=sys.stderr)
        return 1
    if args.only:
        unknown = sorted(set(args.only) - {p.rsplit("/", 1)[-1].removesuffix(".ipynb") for p in listed})
        if unknown:
            print(f"no such notebooks on the server: {unknown}", file=sys.stderr)
            return 1
        listed = [p for p in listed if p.rsplit("/", 1)[-1].removesuffix(".ipynb") in args.only]

    failed = []
    started = time.monotonic()
    for path in listed:
        t0 = time.monotonic()
        try:
            ok, why, cells, figures = asyncio.run(run_notebook(server, path, args.timeout))
        except Exception as e:  # a broken connection or a timeout fails this notebook, not the run
            ok, why, cells, figures = False, f"{type(e).__name__}: {e}", 0, 0
        print(f"{'ok    ' if ok else 'FAILED'} {path}: {cells} code cells, {figures} figures, "
              f"{time.monotonic() - t0:.0f} s{'' if ok else ' - ' + why}", flush=True)
        if not ok:
            failed.append(path)
    print(f"{len(listed) - len(failed)}/{len(listed)} notebooks ran clean through the server "
          f"in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
