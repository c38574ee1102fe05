#!/usr/bin/env python3
"""make reliability / make bench (HTTP rows): drives the real `jigai serve` on a loopback port with a temporary
data folder. Standard library only. Prints its figures; exits 1 on any violation.

  reliability.py reliability JIGAI [hostile] [streamed] [idle] [kill] [load]   hostile uploads, large uploads streamed to disk, stalled clients,
                                                           kill -9 during submissions, mixed load (SQLite and PostgreSQL)
  reliability.py bench JIGAI         requests/s and p50/p99 of pages against /healthz; the deadline rush; the audit chain check
"""
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Jigai-Demo-2023"
# The demo enterprises (jigai demo) and an eligible example each; logins are their mobile numbers.
ENTERPRISES = [("13934561234", "revenue-increase.eligible.json"), ("13934562345", "consumer-increase.eligible.json"),
               ("13934563456", "whitelist-2022-h2-tier-2.eligible.json")]
CHINESE = re.compile("[\u4e00-\u9fff]")
violations = []


def violation(message):
    violations.append(message)
    print("  ✘ " + message, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def pdf(tag, pages=1, filler=b""):
    """A small valid PDF; `tag` makes its bytes (and so its SHA-256) unique."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + i) for i in range(pages)) + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    body = b"%PDF-1.4\n%" + tag.encode() + b"\n" + filler
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


class Server:
    """`jigai serve` with its own data folder (and PostgreSQL when a URL is given)."""

    def __init__(self, jigai, data, database_url=None):
        self.jigai, self.data, self.port, self.process = jigai, data, free_port(), None
        self.environment = dict(os.environ, JIGAI_DATA=data, LOG_LEVEL="error")
        self.environment.pop("DATABASE_URL", None)
        if database_url:
            self.environment["DATABASE_URL"] = database_url

    def command(self, *arguments):
        subprocess.run([self.jigai, *arguments], cwd=ROOT, env=self.environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def prepare(self):
        self.command("migrate", "--yes")
        self.command("demo")

    def start(self):
        self.process = subprocess.Popen([self.jigai, "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(self.port)], cwd=ROOT,
                                        env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if Client(self.port).get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("jigai serve 未能在 60 秒内启动")

    def alive(self):
        try:
            return self.process.poll() is None and Client(self.port).get("/healthz")[0] == 200
        except OSError:
            return False

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


class Client:
    """One keep-alive connection with the session cookies and the CSRF token of one signed-in user."""

    def __init__(self, port, timeout=60):
        self.port, self.timeout = port, timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies, self.csrf = {}, None

    def request(self, method, path, body=None, headers=None, chunks=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        try:
            if chunks is not None:
                self.connection.putrequest(method, path)
                for name, value in headers.items():
                    self.connection.putheader(name, value)
                self.connection.putheader("Transfer-Encoding", "chunked")
                self.connection.endheaders()
                for chunk in chunks:
                    self.connection.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                self.connection.send(b"0\r\n\r\n")
            else:
                self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def get(self, path):
        return self.request("GET", path)

    def json(self, method, path, value=None, headers=None):
        body = None if value is None else json.dumps(value).encode()
        status, data = self.request(method, path, body, {"Content-Type": "application/json", **(headers or {})})
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None

    def sign_in(self, login, password=PASSWORD):
        self.csrf = self.json("GET", "/api/csrf")[1]["csrfToken"]
        status, answer = self.json("POST", "/api/session", {"login": login, "password": password})
        if status != 200:
            raise RuntimeError(f"登录失败 {login}: {status} {answer}")
        self.csrf = answer["csrfToken"]
        return self

    def sign_in_form(self, login):
        """Signs in through the login page, as a browser does (the reviewers' pages are HTML)."""
        status, page = self.get("/login")
        token = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
        body = f"login={login}&password={PASSWORD}&_csrf={token}".encode()
        status, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (200, 303):
            raise RuntimeError(f"登录失败 {login}: {status}")
        return self

    def upload_chunked(self, application, item, parts, filename="附件.pdf", boundary="jigaiBoundary7MA4YWxk"):
        """Sends the file's parts with Transfer-Encoding: chunked and no Content-Length, as a streaming client does."""
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n\r\n'.encode()
        return self.request("POST", f"/api/applications/{application}/attachments/upload/{item}",
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                            chunks=[head, *parts, f"\r\n--{boundary}--\r\n".encode()])

    def upload(self, application, item, content, filename="附件.pdf", boundary="jigaiBoundary7MA4YWxk"):
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: application/pdf\r\n\r\n").encode()
        body = head + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", f"/api/applications/{application}/attachments/upload/{item}", body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def examples():
    loaded = {}
    for _, name in ENTERPRISES:
        with open(os.path.join(ROOT, "Examples/applications", name)) as file:
            loaded[name] = json.load(file)
    return loaded


def submit_one(client, example, tag, attachment_bytes=0):
    """Creates, fills, uploads and submits one application; returns its id once the server said 200 to the submission."""
    status, created = client.json("POST", "/api/applications", {"direction": example["direction"], "subDirection": example.get("subDirection")})
    if status != 201:
        raise RuntimeError(f"发起申报 {status}")
    application = created["id"]
    status, _ = client.json("PUT", f"/api/applications/{application}", example, {"If-Match": f'"{created["revision"]}"'})
    if status != 200:
        raise RuntimeError(f"保存 {status}")
    items = [a["item"] for a in example["attachments"]]
    filler = b"%" + b"0" * max(0, attachment_bytes // len(items)) + b"\n" if attachment_bytes else b""
    for item in items:
        status, answer = client.upload(application, item, pdf(f"{tag}-{item}", filler=filler))
        if status != 201:
            raise RuntimeError(f"上传 {item} {status} {answer[:200]!r}")
    status, answer = client.json("POST", f"/api/applications/{application}/submit")
    if status != 200:
        raise RuntimeError(f"提交 {status} {answer}")
    return application


# MARK: kill -9 during submissions

def check_integrity(data):
    database = sqlite3.connect(os.path.join(data, "jigai.sqlite"))
    integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    database.close()
    if integrity != "ok":
        violation(f"PRAGMA integrity_check: {integrity}")
    return integrity


def check_sqlite_store(data, acknowledged):
    """Every acknowledged submission present, no attachment file missing, altered or orphaned, nothing left in incoming/."""
    database = sqlite3.connect(os.path.join(data, "jigai.sqlite"))
    statuses = dict(database.execute("SELECT lower(id), status FROM applications"))
    lost = [a for a in acknowledged if statuses.get(a.lower()) != "submitted"]
    if lost:
        violation(f"{len(lost)} 份已确认提交的申报丢失或状态不对，例如 {lost[0]}")
    referenced = {row[0] for row in database.execute("SELECT sha256 FROM attachments")}
    database.close()
    store = os.path.join(data, "attachments")
    present = {}
    for folder in os.listdir(store) if os.path.isdir(store) else []:
        if folder == "incoming":
            continue
        for name in os.listdir(os.path.join(store, folder)):
            with open(os.path.join(store, folder, name), "rb") as file:
                present[name] = hashlib.sha256(file.read()).hexdigest()
    missing = referenced - present.keys()
    orphaned = present.keys() - referenced
    altered = [name for name, digest in present.items() if name != digest]
    incoming = os.listdir(os.path.join(store, "incoming")) if os.path.isdir(os.path.join(store, "incoming")) else []
    if missing:
        violation(f"{len(missing)} 个附件文件缺失")
    if orphaned:
        violation(f"{len(orphaned)} 个附件文件无数据库记录（孤儿文件）")
    if altered:
        violation(f"{len(altered)} 个附件文件内容与 SHA-256 不符")
    if incoming:
        violation(f"incoming/ 中残留 {len(incoming)} 个未完成的上传")
    return len(referenced), len(present)


def kill_test(jigai, rounds=5, concurrent=200):
    print(f"\n== kill -9：{concurrent} 个并发提交进行中强行终止服务器，重启后检查，共 {rounds} 轮（SQLite）==", flush=True)
    data = tempfile.mkdtemp(prefix="jigai-kill-")
    server = Server(jigai, data)
    try:
        server.prepare()
        acknowledged = []
        loaded = examples()
        server.start()
        for round_number in range(1, rounds + 1):
            clients = [Client(server.port).sign_in(login) for login, _ in ENTERPRISES]
            answered, failed = [], [0]
            lock = threading.Lock()
            # Killed once a random number of submissions has been answered, while the rest are mid-way.
            kill_after = random.randint(5, 20)
            enough, first = threading.Event(), threading.Event()
            started = time.perf_counter()

            def work(index):
                client = copy_session(clients[index % len(clients)], server.port)
                try:
                    application = submit_one(client, loaded[ENTERPRISES[index % len(ENTERPRISES)][1]], f"r{round_number}-{index}")
                    with lock:
                        answered.append(application)
                        first.set()
                        if len(answered) >= kill_after:
                            enough.set()
                except (OSError, RuntimeError, http.client.HTTPException):
                    with lock:
                        failed[0] += 1

            threads = [threading.Thread(target=work, args=(i,)) for i in range(concurrent)]
            for thread in threads:
                thread.start()
            # A slow (debug) build may answer none in the first minute: a kill then would test less, so it waits for one.
            if not enough.wait(timeout=60):
                first.wait(timeout=120)
            killed_at = time.perf_counter() - started
            if server.process.poll() is not None:
                violation(f"第 {round_number} 轮：服务器在 kill -9 之前已自行退出（{server.process.returncode}）")
            server.kill9()
            for thread in threads:
                thread.join()
            acknowledged += answered
            integrity = check_integrity(data)
            server.start()
            rows, files = check_sqlite_store(data, acknowledged)
            print(f"  第 {round_number} 轮：{killed_at:.0f} 秒时终止，此前确认提交 {len(answered)} 份，中断 {failed[0]} 份；integrity_check={integrity}；"
                  f"重启后附件记录 {rows} 个哈希、文件 {files} 个", flush=True)
        client = Client(server.port)
        total = 0
        for login, _ in ENTERPRISES:
            client.cookies, client.csrf = {}, None
            client.sign_in(login)
            status, listed = client.json("GET", "/api/applications")
            total += sum(1 for item in listed if item["status"] == "submitted")
        print(f"  累计确认提交 {len(acknowledged)} 份，重启后 API 中已提交 {total} 份（含 2 份演示数据）", flush=True)
        if total < len(acknowledged):
            violation(f"API 中已提交 {total} 份，少于确认提交的 {len(acknowledged)} 份")
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


# MARK: mixed load

def mixed_load(server, label, connections=64, seconds=30):
    loaded = examples()
    sessions = [Client(server.port).sign_in(login) for login, _ in ENTERPRISES]
    drafts = []
    for index, (login, example) in enumerate(ENTERPRISES):
        status, created = sessions[index].json("POST", "/api/applications", {"direction": loaded[example]["direction"]})
        drafts.append(created["id"])
    latencies, errors, statuses = [], [], {}
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def worker(index):
        client = Client(server.port, timeout=30)
        source = sessions[index % len(sessions)]
        client.cookies, client.csrf = dict(source.cookies), source.csrf
        draft = drafts[index % len(drafts)]
        example = loaded[ENTERPRISES[index % len(ENTERPRISES)][1]]
        mine, local = [], {}
        while time.time() < stop_at:
            roll = random.random()
            started = time.perf_counter()
            try:
                if roll < 0.10:
                    # A client saves what it read: the revision it read goes back in If-Match. The read counts as a request.
                    read, current = client.json("GET", f"/api/applications/{draft}")
                    mine.append(time.perf_counter() - started)
                    local[read] = local.get(read, 0) + 1
                    started = time.perf_counter()
                    status, _ = client.json("PUT", f"/api/applications/{draft}", example, {"If-Match": f'"{current["revision"]}"'})
                elif roll < 0.40:
                    status, _ = client.request("GET", "/api/applications")
                elif roll < 0.70:
                    status, _ = client.request("GET", f"/api/applications/{draft}")
                else:
                    status, _ = client.request("GET", "/enterprise")
            except (OSError, http.client.HTTPException) as error:
                status = f"连接错误 {type(error).__name__}"
            mine.append(time.perf_counter() - started)
            local[status] = local.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, count in local.items():
                statuses[key] = statuses.get(key, 0) + count

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(worker, range(connections)))
    bad = {k: v for k, v in statuses.items() if k != 200}
    slow = sum(1 for value in latencies if value > 5)
    print(f"  {label}：{len(latencies)} 个请求，{len(latencies) / seconds:.0f} 次/秒，p50 {percentile(latencies, .5) * 1000:.1f} ms，"
          f"p99 {percentile(latencies, .99) * 1000:.1f} ms，最长 {max(latencies) * 1000:.0f} ms；状态 {dict(sorted(statuses.items(), key=str))}", flush=True)
    if bad:
        violation(f"{label}：出现非 200 的回答或连接错误 {bad}")
    if slow:
        violation(f"{label}：{slow} 个请求超过 5 秒")


class PostgresCluster:
    """A throwaway PostgreSQL 15 cluster on a loopback port, as scripts/test-postgres.sh starts it."""

    def __init__(self):
        self.bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="jigai-pg-")
        self.root = os.getuid() == 0

    def run(self, *arguments):
        prefix = ["runuser", "-u", "postgres", "--"] if self.root else []
        subprocess.run(prefix + list(arguments), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self):
        if self.root:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(f"{self.bin}/initdb", "-D", f"{self.folder}/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C")
        self.run(f"{self.bin}/pg_ctl", "-D", f"{self.folder}/data", "-l", f"{self.folder}/server.log", "-w", "-o",
                 f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")
        self.run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "jigai")
        return f"postgres://postgres@127.0.0.1:{self.port}/jigai?sslmode=disable"

    def __exit__(self, *_):
        try:
            self.run(f"{self.bin}/pg_ctl", "-D", f"{self.folder}/data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def load_tests(jigai, seconds):
    print(f"\n== 混合负载：90% 读 / 10% 写，64 个连接，{seconds} 秒 ==", flush=True)
    data = tempfile.mkdtemp(prefix="jigai-load-")
    server = Server(jigai, data)
    try:
        server.prepare()
        server.start()
        mixed_load(server, "SQLite", seconds=seconds)
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    data = tempfile.mkdtemp(prefix="jigai-load-pg-")
    try:
        with PostgresCluster() as url:
            server = Server(jigai, data, url)
            try:
                server.prepare()
                server.start()
                mixed_load(server, "PostgreSQL", seconds=seconds)
            finally:
                server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


# MARK: hostile uploads

def hostile_files(limit_bytes):
    valid = pdf("hostile")
    bomb_stream = zlib.compress(b"\0" * (256 * 1024 * 1024), 9)
    bomb = pdf("bomb").replace(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 9 0 R >>")
    bomb = bomb.replace(b"xref", b"9 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb_stream) + bomb_stream
                        + b"\nendstream\nendobj\nxref", 1)
    looping = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [2 0 R] /Count 1 >>\nendobj\n"
               b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    nested = b"%PDF-1.4\n1 0 obj\n" + b"[" * 100000 + b"]" * 100000 + b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    png_flood = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (100000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00" + b"\0" * 4
                 + zlib.compress(b"\0" * 1000))
    jpeg_flood = b"\xff\xd8\xff\xc0\x00\x11\x08\xff\xff\xff\xff\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01" + b"\0" * 100
    return [
        ("截断的 PDF", valid[: len(valid) // 2], "附件.pdf", {}),
        ("页树自我引用的 PDF（循环）", looping, "附件.pdf", {}),
        ("展开后 256 MB 的 PDF（压缩炸弹）", bomb, "附件.pdf", {}),
        ("嵌套 10 万层的 PDF", nested, "附件.pdf", {}),
        ("PDF 头之后全是垃圾", b"%PDF-1.7\n" + os.urandom(4096), "附件.pdf", {}),
        ("HTML/PDF 多语言文件", b"<html><script>alert(1)</script></html>\n" + valid, "附件.pdf", {}),
        ("改名为 .pdf 的可执行文件", open("/bin/true", "rb").read(), "附件.pdf", {}),
        ("改名为 .pdf 的 ZIP", b"PK\x03\x04" + os.urandom(2048), "附件.pdf", {}),
        ("像素洪水 PNG（10 万×10 万）", png_flood, "扫描.png", {}),
        ("像素洪水 JPEG（65535×65535）", jpeg_flood, "扫描.jpg", {}),
        ("0 字节", b"", "附件.pdf", {}),
        ("文件名含 ../", valid, "../../../../tmp/jigai-escape.pdf", {}),
        ("文件名含 NUL", valid, "附件\0.pdf", {}),
        ("300 个字符的文件名", valid, "长" * 296 + ".pdf", {}),
        ("超过大小上限（带 Content-Length）", b"%PDF-1.4\n" + b"0" * (limit_bytes + 1024 * 1024), "附件.pdf", {}),
        ("超过大小上限（chunked，无 Content-Length）", b"%PDF-1.4\n" + b"0" * (limit_bytes + 1024 * 1024), "附件.pdf", {"chunked": True}),
        ("没有 file 字段", valid, "附件.pdf", {"field": "other"}),
    ]


def hostile_uploads(jigai):
    print("\n== 恶意上传：每种都应被拒绝并给出中文说明，服务器不崩溃，内存有界，不在存储目录之外写文件 ==", flush=True)
    parent = tempfile.mkdtemp(prefix="jigai-hostile-")
    data = os.path.join(parent, "data")
    server = Server(jigai, data)
    server.environment["JIGAI_UPLOAD_MAX_FILE_MB"] = "20"
    try:
        server.prepare()
        server.start()
        client = Client(server.port).sign_in(ENTERPRISES[0][0])
        status, created = client.json("POST", "/api/applications", {"direction": "revenue-increase"})
        application = created["id"]
        before = snapshot_tree(parent)
        peak = server.rss_mb()
        print(f"  开始时服务器 RSS {peak:.0f} MB", flush=True)
        signed_in = client
        for name, content, filename, options in hostile_files(20 * 1024 * 1024):
            # A fresh connection each: a refusal may close the connection before the whole body was read.
            client = copy_session(signed_in, server.port)
            started = time.perf_counter()
            try:
                if options.get("chunked"):
                    status, answer = client.upload_chunked(application, "business-licence",
                                                           [content[i:i + (1 << 20)] for i in range(0, len(content), 1 << 20)], filename)
                elif options.get("field"):
                    boundary = "jigaiBoundary7MA4YWxk"
                    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="other"; filename="{filename}"\r\n\r\n').encode() + content \
                        + f"\r\n--{boundary}--\r\n".encode()
                    status, answer = client.request("POST", f"/api/applications/{application}/attachments/upload/business-licence", body,
                                                    {"Content-Type": f"multipart/form-data; boundary={boundary}"})
                else:
                    status, answer = client.upload(application, "business-licence", content, filename=filename)
            except (OSError, http.client.HTTPException) as error:
                status, answer = f"连接中断 {type(error).__name__}", b""
            elapsed = time.perf_counter() - started
            reason = ""
            try:
                reason = json.loads(answer).get("reason", "")
            except (ValueError, AttributeError):
                reason = answer.decode(errors="replace")[:80]
            rss = server.rss_mb()
            peak = max(peak, rss)
            refused = isinstance(status, int) and 400 <= status < 500 and CHINESE.search(reason)
            print(f"  {'✔' if refused else '✘'} {name}：{status}（{elapsed:.1f} s，RSS {rss:.0f} MB）{reason}", flush=True)
            if not refused:
                violation(f"恶意上传“{name}”没有被拒绝并给出中文说明：{status} {reason}")
            if not server.alive():
                violation(f"恶意上传“{name}”之后服务器不再响应")
                server.start()
                signed_in = Client(server.port).sign_in(ENTERPRISES[0][0])
        after = snapshot_tree(parent)
        written = sorted(path for path in after - before if not path.startswith(os.path.join(data, "attachments") + os.sep)
                         and not os.path.basename(path).startswith("jigai.sqlite"))
        stored = sorted(path for path in after - before if path.startswith(os.path.join(data, "attachments") + os.sep))
        print(f"  服务器 RSS 峰值 {peak:.0f} MB；存储目录之外新写入的文件 {len(written)} 个；存储目录中新增文件 {len(stored)} 个", flush=True)
        if written:
            violation(f"存储目录之外出现新文件：{written[:3]}")
        if stored:
            violation(f"被拒绝的上传留下了文件：{stored[:3]}")
        if os.path.exists("/tmp/jigai-escape.pdf"):
            violation("文件名中的 ../ 让服务器在存储目录之外写了文件")
        if peak > 500:
            violation(f"服务器 RSS 峰值 {peak:.0f} MB 超过 500 MB")
    finally:
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)


def streamed_uploads(jigai, limit_mb=20):
    """Large uploads go to disk as they arrive: the server's own memory must not grow with the file."""
    print(f"\n== 大文件流式写盘：上限 {limit_mb} MB，接收 {limit_mb - 1} MB、拒绝 {3 * limit_mb} MB（chunked），服务器内存不随文件增长 ==", flush=True)
    parent = tempfile.mkdtemp(prefix="jigai-streamed-")
    server = Server(jigai, os.path.join(parent, "data"))
    server.environment["JIGAI_UPLOAD_MAX_FILE_MB"] = str(limit_mb)
    try:
        server.prepare()
        server.start()
        client = Client(server.port).sign_in(ENTERPRISES[0][0])
        application = client.json("POST", "/api/applications", {"direction": "revenue-increase"})[1]["id"]
        warm_up = client.upload(application, "business-licence", pdf("warm", filler=b"%" + b"0" * (1 << 20) + b"\n"))[0]
        if warm_up != 201:
            violation(f"1 MB 的预热上传没有被接收：{warm_up}")
        before = server.rss_mb()
        try:
            status, answer = copy_session(client, server.port).upload_chunked(
                application, "business-licence", [b"%PDF-1.4\n"] + [b"0" * (1 << 20)] * (3 * limit_mb), "超大.pdf")
        except (OSError, http.client.HTTPException) as error:
            status, answer = f"连接中断 {type(error).__name__}", b""
        after_refusal = server.rss_mb()
        reason = json.loads(answer).get("reason", "") if status == 413 else answer[:200]
        if status != 413 or f"文件超过 {limit_mb} MB 的上限" not in reason:
            violation(f"{3 * limit_mb} MB 的 chunked 上传没有以 413 和中文说明被拒绝：{status} {reason}")
        large = pdf("large", filler=b"%" + b"0" * ((limit_mb - 1) * (1 << 20)) + b"\n")
        status, answer = copy_session(client, server.port).upload(application, "business-licence", large)
        after_accept = server.rss_mb()
        if status != 201:
            violation(f"{len(large) / 1048576:.1f} MB 的合法文件没有被接收：{status} {answer[:200]!r}")
        stored = [os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(os.path.join(parent, "data", "attachments"))
                  for name in names]
        if len(large) not in stored:
            violation(f"存储目录中没有 {len(large)} 字节的文件（有 {sorted(stored)}）")
        growth = max(after_refusal, after_accept) - before
        print(f"  服务器 RSS：开始 {before:.0f} MB，拒绝 {3 * limit_mb} MB 后 {after_refusal:.0f} MB，"
              f"接收 {len(large) / 1048576:.0f} MB 后 {after_accept:.0f} MB（增长 {growth:.1f} MB）", flush=True)
        if growth > limit_mb / 2:
            violation(f"上传大文件时服务器内存增长 {growth:.1f} MB，超过文件大小的一半")
    finally:
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)


def stalled_clients(jigai, idle_seconds=3, clients=50):
    """Clients that open a connection and then send nothing more (or half a request) are disconnected by the server."""
    print(f"\n== 停滞的连接：{clients} 个连接只发半个请求，服务器应在空闲 {idle_seconds} 秒后断开，其间照常服务 ==", flush=True)
    parent = tempfile.mkdtemp(prefix="jigai-idle-")
    server = Server(jigai, os.path.join(parent, "data"))
    server.environment["JIGAI_IDLE_SECONDS"] = str(idle_seconds)
    sockets = []
    try:
        server.prepare()
        server.start()
        started = time.perf_counter()
        for index in range(clients):
            connection = socket.create_connection(("127.0.0.1", server.port))
            connection.settimeout(idle_seconds * 5)
            if index % 2:
                connection.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nlogin=")
            sockets.append(connection)
        status = Client(server.port).get("/healthz")[0]
        if status != 200:
            violation(f"停滞的连接占用时 /healthz 回答 {status}")
        closed = []
        for connection in sockets:
            try:
                while connection.recv(4096):
                    pass
                closed.append(time.perf_counter() - started)
            except OSError:
                closed.append(time.perf_counter() - started)
        latest = max(closed)
        print(f"  {len(closed)} 个连接全部被断开，最晚 {latest:.1f} 秒；期间 /healthz 回答 {status}", flush=True)
        if latest > idle_seconds * 3:
            violation(f"停滞的连接 {latest:.1f} 秒后才被断开（空闲上限 {idle_seconds} 秒）")
        if latest < idle_seconds * 0.9:
            violation(f"连接在 {latest:.1f} 秒就被断开，早于空闲上限 {idle_seconds} 秒")
    finally:
        for connection in sockets:
            connection.close()
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)


def snapshot_tree(folder):
    return {os.path.join(path, name) for path, _, names in os.walk(folder) for name in names}


# MARK: bench

def throughput(port, path, clients, seconds=10):
    latencies, errors = [], [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def worker(client):
        mine = []
        while time.time() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", path)
                if status != 200:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(worker, clients))
    return len(latencies) / seconds, percentile(latencies, .5), percentile(latencies, .99), errors[0]


def audit_chain_bench(jigai, events=100_000):
    """`jigai audit verify` (and the admin's 操作日志 page, which runs the same check) over a long chain."""
    print(f"\n== 操作日志哈希链校验：{events} 条记录 ==", flush=True)
    parent = tempfile.mkdtemp(prefix="jigai-audit-")
    server = Server(jigai, os.path.join(parent, "data"))
    try:
        server.command("migrate", "--yes")
        database = sqlite3.connect(os.path.join(server.data, "jigai.sqlite"))
        previous, rows = "0" * 64, []
        # The hash covers the same fields in the same order as AuditEvent.canonical.
        for sequence in range(1, events + 1):
            milliseconds = 1_700_000_000_000 + sequence * 1000
            fields = ["某某科技有限公司（企业）", "保存申报", "申报", str(uuid.uuid4()).upper(), None, "营业收入增量由 2.9 亿元改为 3.1 亿元", "127.0.0.1"]
            canonical = "\x1f".join([str(sequence), str(milliseconds), ""] + [field or "" for field in fields] + [previous])
            digest = hashlib.sha256(canonical.encode()).hexdigest()
            rows.append((str(uuid.uuid4()).upper(), sequence, milliseconds / 1000, None, *fields, previous, digest))
            previous = digest
        database.executemany("INSERT INTO audit_events (id, sequence, at, actor_id, actor, action, object_type, object_id, before, after, "
                             "address, previous_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        database.commit()
        database.close()
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            result = subprocess.run([jigai, "audit", "verify"], cwd=ROOT, env=server.environment, capture_output=True, text=True)
            timings.append(time.perf_counter() - started)
            if result.returncode != 0 or f"共 {events} 条" not in result.stdout:
                violation(f"jigai audit verify 没有通过 {events} 条完整的记录：{result.stdout} {result.stderr}")
        print(f"  jigai audit verify：{events} 条，中位数 {sorted(timings)[1]:.2f} s（含进程启动）", flush=True)
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def bench(jigai, seconds=10, rush=500, rush_megabytes=5):
    print("\n== HTTP 基准（64 个连接，release 服务器，SQLite）==", flush=True)
    data = tempfile.mkdtemp(prefix="jigai-bench-")
    server = Server(jigai, data)
    try:
        server.prepare()
        server.start()
        loaded = examples()
        # 50 submitted applications in 太原's list and its city reviewer's list.
        enterprise = Client(server.port).sign_in(ENTERPRISES[0][0])
        for index in range(50):
            submit_one(enterprise, loaded[ENTERPRISES[0][1]], f"bench-{index}")
        def clients(make):
            return [make() for _ in range(64)]

        anonymous = clients(lambda: Client(server.port))
        enterprises = clients(lambda: copy_session(enterprise, server.port))
        reviewer = Client(server.port).sign_in_form("taiyuan")
        reviewers = clients(lambda: copy_session(reviewer, server.port))
        rows = [("GET /healthz（上限）", "/healthz", anonymous), ("企业申报列表（50 行）", "/enterprise", enterprises),
                ("市级审核列表（50 行）", "/review?size=50", reviewers)]
        ceiling = None
        for label, path, group in rows:
            status, page = group[0].get(path)
            rate, p50, p99, errors = throughput(server.port, path, group, seconds)
            ceiling = ceiling or rate
            ratio = rate / ceiling
            print(f"  {label:<22} {rate:8.0f} 次/秒  p50 {p50 * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  相对上限 {ratio:.3f}  错误 {errors}", flush=True)
            if path != "/healthz":
                if ratio < 0.05:
                    violation(f"{label} 只有上限的 {ratio:.3f}（目标 ≥ 0.05）")
                if p99 > 0.2:
                    violation(f"{label} p99 {p99 * 1000:.0f} ms（目标 < 200 ms）")
            if errors:
                violation(f"{label} 有 {errors} 个错误")

        print(f"\n== 截止前冲刺：{rush} 份并发提交，每份上传 {rush_megabytes} MB ==", flush=True)
        sessions = [Client(server.port).sign_in(login) for login, _ in ENTERPRISES]
        latencies, failures, peak = [], [], [server.rss_mb()]
        lock = threading.Lock()
        done = threading.Event()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], server.rss_mb())
                time.sleep(0.1)

        def work(index):
            client = copy_session(sessions[index % len(sessions)], server.port)
            started = time.perf_counter()
            try:
                submit_one(client, loaded[ENTERPRISES[index % len(ENTERPRISES)][1]], f"rush-{index}", rush_megabytes * 1024 * 1024)
                with lock:
                    latencies.append(time.perf_counter() - started)
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                with lock:
                    failures.append(str(error)[:120])

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(rush) as pool:
            list(pool.map(work, range(rush)))
        done.set()
        watcher.join()
        total = time.perf_counter() - started
        print(f"  完成 {len(latencies)} 份，错误 {len(failures)}，用时 {total:.0f} s，每份 p50 {percentile(latencies, .5):.1f} s、"
              f"p99 {percentile(latencies, .99):.1f} s，服务器 RSS 峰值 {peak[0]:.0f} MB", flush=True)
        if failures:
            violation(f"冲刺中 {len(failures)} 份失败，例如 {failures[0]}")
        if peak[0] >= 300:
            violation(f"冲刺中服务器 RSS 峰值 {peak[0]:.0f} MB（目标 < 300 MB）")
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def copy_session(source, port):
    client = Client(port)
    client.cookies, client.csrf = dict(source.cookies), source.csrf
    return client


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("reliability", "bench"):
        raise SystemExit(__doc__)
    jigai = os.path.abspath(sys.argv[2])
    started = time.time()
    if sys.argv[1] == "reliability":
        seconds = int(os.environ.get("JIGAI_LOAD_SECONDS", "30"))
        parts = sys.argv[3:] or ["hostile", "streamed", "idle", "kill", "load"]
        if "hostile" in parts:
            hostile_uploads(jigai)
        if "streamed" in parts:
            streamed_uploads(jigai)
        if "idle" in parts:
            stalled_clients(jigai)
        if "kill" in parts:
            kill_test(jigai)
        if "load" in parts:
            load_tests(jigai, seconds)
    else:
        bench(jigai)
        audit_chain_bench(jigai)
    print(f"\n用时 {time.time() - started:.0f} 秒；{'全部通过' if not violations else f'{len(violations)} 项不合格'}", flush=True)
    for message in violations:
        print("  ✘ " + message)
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
