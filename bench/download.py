#!/usr/bin/python3
"""Download speed of jtorrent against reference leechers, one at a time, from one libtorrent seeder on loopback.

    bench/download.py [--size-mib 1024] [--piece-kib 1024] [--rounds 1] [--seeder libtorrent|jtorrent]
                      [--leechers jtorrent,libtorrent-tcp,aria2,transmission,sink,
                                  jtorrent-tcp,jtorrent-utp,jtorrent-rc4,libtorrent-utp] [--timeout 300]
                      [--work /tmp/jtorrent-bench] [--libtorrent-encryption] [--non-readers N]

Needs /usr/bin/python3 with python3-libtorrent, opentracker, aria2c and transmission-daemon (the Debian packages);
nothing else. The random content and its torrent are made once and kept in the work directory; everything a run
starts (tracker, seeder, leechers) is stopped by its pid and the download directories are removed, also on Ctrl-C.

Every client gets its own loopback address (several clients tell peers apart by IP address alone) and binds both
its listening socket and its outgoing connections to it, so the tracker hands out the right address. Each leecher
downloads into a fresh empty directory; the content it must fetch lives only in the seeder's directory.

What is measured for each leecher:
  seconds   from starting the process to completion: the process exiting for clients that exit when done
            (jtorrent, libtorrent, aria2), RPC reporting percentDone == 1 for transmission-daemon, which is started
            together with the clock, so every figure includes the client's own start-up;
  CPU s     user + system seconds of the leecher and its children (wait4 rusage; /proc for the daemon);
  max RSS   peak resident memory (wait4 ru_maxrss; VmHWM for the daemon);
  seeder    the seeder's CPU seconds over the same time, and as a share of one core: a seeder near 100% of a
            core is what limits the leecher, whoever it is;
  result    OK when the client reported success and the file has the SHA-1 of the content, else BAD; TIMEOUT when
            the leecher was still running after --timeout seconds and was killed.
With several rounds, the table shows the median over the OK runs of each client.

jtorrent-tcp, jtorrent-utp and jtorrent-rc4 are jtorrent held to one transport and one encryption policy
(`--transports tcp --encryption disable`, `--transports utp --encryption disable`, `--transports tcp --encryption
require`); libtorrent-utp is libtorrent with TCP off and 4 MiB UDP buffers. With a uTP leecher in the list the
libtorrent seeder takes uTP too (with the same buffers), and with jtorrent-rc4 it allows encryption (MSE, not
forced); the last lines then give jtorrent's uTP speed against its TCP and against libtorrent's uTP, and its CPU per
GiB with RC4 against plaintext.

--non-readers N first connects N peers of its own to the seeder (from 127.0.0.5 on), each of which says interested,
reads until it is unchoked, asks for --non-reader-requests blocks spread over the content and then reads nothing
more, with a receive buffer of 4 KiB, until the run ends: the attack of issue 13, under which a seeder should still
serve honest leechers at full speed.
"""
import argparse
import base64
import ctypes
import hashlib
import json
import os
import random
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import libtorrent as lt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = ('libtorrent-tcp', 'aria2', 'transmission')
CLIENTS = ('jtorrent',) + REFERENCE
TRACKER_IP = '127.0.0.1'
SEEDER_IP = '127.0.0.2'
FIRST_LEECHER_HOST = 10  # leecher n runs on 127.0.0.(10 + n)
FIRST_NON_READER_HOST = 5  # --non-readers: peer n runs on 127.0.0.(5 + n)
CLK_TCK = os.sysconf('SC_CLK_TCK')

# The libtorrent peers run in their own interpreter so that their CPU and memory are theirs alone. Both leave when
# the bench goes away without stopping them (they watch their parent pid), and the seeder says when the tracker
# has answered its first announce, so that leechers are never started into an empty swarm.
LIBTORRENT_PEER = r'''
import os, select, sys, time
import libtorrent as lt
torrent, save_path, ip, port, role = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
encryption = sys.argv[6] == 'on'
transports = sys.argv[7]  # 'tcp', 'utp' or 'both'
parent = os.getppid()
settings = lt.high_performance_seed() if role == 'seed' else {}
settings.update({
    'listen_interfaces': '%s:%d' % (ip, port), 'outgoing_interfaces': ip,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_outgoing_utp': transports != 'tcp', 'enable_incoming_utp': transports != 'tcp',
    'enable_outgoing_tcp': transports != 'utp', 'enable_incoming_tcp': transports != 'utp',
    'alert_mask': lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification,
})
if transports != 'tcp':
    # libtorrent's uTP with its default UDP buffers runs at 5-13 MiB/s here (the receiver's buffer overflows);
    # with 4 MiB buffers at about 0.7x its TCP (../shared/recipes/README.md, uTP).
    settings.update({'recv_socket_buffer_size': 4 << 20, 'send_socket_buffer_size': 4 << 20})
if not encryption:
    # Plaintext only, as the runs before jtorrent spoke MSE were, so that their figures compare.
    # --libtorrent-encryption keeps libtorrent's default: MSE offered and accepted, a plaintext payload chosen when the
    # other side offers both (prefer_rc4 is off), RC4 when it offers RC4 alone (jtorrent-rc4).
    settings.update({'out_enc_policy': lt.enc_policy.disabled, 'in_enc_policy': lt.enc_policy.disabled})
session = lt.session(settings)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
if role == 'seed':
    params.flags |= lt.torrent_flags.seed_mode  # trust the data; each piece is hashed when first requested
handle = session.add_torrent(params)
announced = False
commands = b''
while os.getppid() == parent:
    if role == 'seed' and select.select([0], [], [], 0)[0]:
        chunk = os.read(0, 4096)
        commands += chunk
        while b'\n' in commands:
            line, commands = commands.split(b'\n', 1)
            words = line.split()
            if len(words) == 3 and words[0] == b'connect':
                handle.connect_peer((words[1].decode(), int(words[2])))
        if not chunk:
            break
    for alert in session.pop_alerts():
        if isinstance(alert, lt.tracker_reply_alert) and not announced:
            announced = True
            print('announced', flush=True)
        elif isinstance(alert, (lt.tracker_error_alert, lt.torrent_error_alert)):
            print(alert.message(), file=sys.stderr, flush=True)
    if role == 'leech' and handle.status().is_seeding:
        sys.exit(0)
    # Not session.wait_for_alert(): the binding reads the alert it returns after releasing the session's lock, and
    # segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
sys.exit(1)
'''

# The seeder's ceiling: a peer that connects straight to the seeder, keeps DEPTH requests in flight in piece
# order and throws each block away as it comes, with no hashing and no disk. It is not a client: it answers nothing
# and counts only that every block of the content arrived with the right length. What the seeder gives it is about
# the most that seeder can give any leecher on this machine.
SINK_PEER = r'''
import os, socket, struct, sys
seeder_ip, seeder_port, ip = sys.argv[1], int(sys.argv[2]), sys.argv[3]
info_hash, total, piece_length, depth = bytes.fromhex(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
BLOCK = 16384
blocks = []  # (piece, offset, length) of every block, in order
for piece in range((total + piece_length - 1) // piece_length):
    size = min(piece_length, total - piece * piece_length)
    blocks.extend((piece, offset, min(BLOCK, size - offset)) for offset in range(0, size, BLOCK))
wanted = {(p, o): n for p, o, n in blocks}
sock = socket.socket()
sock.bind((ip, 0))
sock.connect((seeder_ip, seeder_port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sock.sendall(b'\x13BitTorrent protocol' + bytes(8) + info_hash + b'-SINK00-' + os.urandom(6).hex().encode()
             + struct.pack('>IB', 1, 2))  # handshake, interested
buf, start, end = bytearray(1 << 22), 0, 0
view = memoryview(buf)
handshake, unchoked, sent, received = False, False, 0, 0
while received < len(blocks):
    if unchoked and sent - received < depth // 2 and sent < len(blocks):
        batch = blocks[sent:sent + depth - (sent - received)]
        sock.sendall(b''.join(struct.pack('>IBIII', 13, 6, *b) for b in batch))
        sent += len(batch)
    if len(buf) - end < 1 << 16:  # compact: what is left is less than one message
        buf[:end - start] = buf[start:end]
        start, end = 0, end - start
    n = sock.recv_into(view[end:])
    if not n:
        sys.exit('the seeder closed the connection after %d of %d blocks' % (received, len(blocks)))
    end += n
    if not handshake:
        if end - start < 68:
            continue
        if buf[start + 28:start + 48] != info_hash:
            sys.exit('the seeder answered with another info hash')
        start, handshake = start + 68, True
    while end - start >= 4:
        length = int.from_bytes(buf[start:start + 4], 'big')
        if end - start < 4 + length:
            break
        kind = buf[start + 4] if length else None
        if kind == 1:
            unchoked = True
        elif kind == 0:  # never seen from a seeder with one peer; the requests in flight would be lost
            sys.exit('the seeder choked the sink after %d of %d blocks' % (received, len(blocks)))
        elif kind == 7:
            piece, offset = struct.unpack_from('>II', buf, start + 5)
            if wanted.pop((piece, offset), None) != length - 9:
                sys.exit('an unasked or wrong-sized block: piece %d offset %d length %d' % (piece, offset, length - 9))
            received += 1
        start += 4 + length
    if start == end:
        start = end = 0
'''
SINK_DEPTH = 1000  # blocks in flight (16 MiB); what the libtorrent seeder queues per peer is 2000 at most

# 'on' or 'off' for every libtorrent peer of the run (--libtorrent-encryption); see LIBTORRENT_PEER.
LIBTORRENT_ENCRYPTION = 'off'
# What the libtorrent seeder accepts: 'tcp', or 'both' when a uTP leecher takes part; see LIBTORRENT_PEER.
SEEDER_TRANSPORTS = 'tcp'

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    """In the child before exec: get SIGKILL if the bench dies without cleaning up (kill -9)."""
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def log(message):
    print('bench: ' + message, file=sys.stderr, flush=True)


class Interrupted(Exception):
    pass


def _on_sigterm(signum, frame):
    raise Interrupted('signal %d' % signum)


# ---------------------------------------------------------------------------------------------------------------
# Processes


class Processes:
    """Every process the bench starts, each the leader of its own process group, so that it and whatever it forks
    can be stopped together by that pid and nothing else is touched."""

    def __init__(self):
        self.live = []

    def start(self, argv, log_path, **kwargs):
        out = open(log_path, 'ab')
        try:
            proc = subprocess.Popen(argv, stdin=kwargs.pop('stdin', subprocess.DEVNULL), stdout=kwargs.pop('stdout', out), stderr=out,
                                    start_new_session=True, preexec_fn=_die_with_parent, **kwargs)
        finally:
            out.close()
        self.live.append(proc)
        return proc

    def reaped(self, proc, status):
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc in self.live:
            self.live.remove(proc)

    def stop(self, proc, grace=3.0):
        """SIGTERM to the group, SIGKILL after `grace` seconds; returns the wait4 rusage (None if already reaped)."""
        if proc not in self.live:
            return None
        if proc.returncode is not None:  # already reaped by Popen.poll: its pid may belong to someone else now
            self.live.remove(proc)
            return None
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            result = wait_for(proc.pid, wait)
            if result:
                self.reaped(proc, result[0])
                return result[1]
        log('process %d did not die' % proc.pid)
        return None

    def stop_all(self):
        for proc in reversed(list(self.live)):
            self.stop(proc, grace=2.0)


def wait_for(pid, timeout):
    """wait4 on `pid` for at most `timeout` seconds: (status, rusage), or None if it is still running."""
    deadline = time.monotonic() + timeout
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    try:
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return status, usage
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if fd is not None:
                select.select([fd], [], [], left)  # readable once the process has exited
            else:
                time.sleep(min(left, 0.01))
    finally:
        if fd is not None:
            os.close(fd)


def tree_usage(pid):
    """CPU seconds (user + system, its own and its reaped children's) and peak RSS in MiB of a live process and
    every process below it, from /proc."""
    parents = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as f:
                    parents[int(entry)] = int(f.read().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(child for child, parent in parents.items() if parent == p)
    cpu = rss = 0.0
    for p in tree:
        try:
            with open('/proc/%d/stat' % p) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            cpu += sum(int(x) for x in fields[11:15]) / CLK_TCK  # utime stime cutime cstime
            with open('/proc/%d/status' % p) as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        rss = max(rss, int(line.split()[1]) / 1024)
        except (OSError, IndexError, ValueError):
            pass
    return cpu, rss


def free_port(ip, also_ipv6=False):
    """A TCP port nothing listens on at `ip` (and on [::], for clients that bind there too)."""
    for _ in range(100):
        port = random.randint(20000, 59999)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind((ip, port))
            if also_ipv6:
                with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    s.bind(('::', port))
            return port
        except OSError:
            continue
    raise RuntimeError('no free port on ' + ip)


# ---------------------------------------------------------------------------------------------------------------
# Content, torrent, tracker


def sha1_of(path):
    digest = hashlib.sha1()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 22), b''):
            digest.update(block)
    return digest.hexdigest()


def content(work, size_mib, piece_kib):
    """The random content, its SHA-1 and a tracker-less v1 torrent of it, made once and kept under `work`."""
    folder = os.path.join(work, 'content-%dMiB' % size_mib)
    os.makedirs(folder, exist_ok=True)
    data = os.path.join(folder, 'payload-%dMiB.bin' % size_mib)
    sha_file = data + '.sha1'
    if not (os.path.isfile(data) and os.path.getsize(data) == size_mib << 20 and os.path.isfile(sha_file)):
        log('making %d MiB of random content in %s' % (size_mib, folder))
        digest = hashlib.sha1()
        with open(data + '.part', 'wb') as f:
            for _ in range(size_mib):
                block = os.urandom(1 << 20)
                digest.update(block)
                f.write(block)
        os.replace(data + '.part', data)
        with open(sha_file, 'w') as f:
            f.write(digest.hexdigest() + '\n')
        for old in os.listdir(folder):
            if old.endswith('.torrent'):
                os.remove(os.path.join(folder, old))
    with open(sha_file) as f:
        sha1 = f.read().strip()
    torrent = os.path.join(folder, 'piece-%dKiB.torrent' % piece_kib)
    if not os.path.isfile(torrent):
        log('hashing the content into a torrent with %d KiB pieces' % piece_kib)
        files = lt.file_storage()
        lt.add_files(files, data)
        maker = lt.create_torrent(files, piece_kib * 1024, flags=lt.create_torrent.v1_only)
        lt.set_piece_hashes(maker, folder)
        with open(torrent + '.part', 'wb') as f:
            f.write(lt.bencode(maker.generate()))
        os.replace(torrent + '.part', torrent)
    return data, sha1, torrent


def with_tracker(cached_torrent, url, path):
    """Writes the cached torrent with `url` as its tracker; the info dictionary, hence the info hash, is unchanged.
    Returns the hex v1 info hash."""
    with open(cached_torrent, 'rb') as f:
        meta = lt.bdecode(f.read())
    meta[b'announce'] = url.encode()
    encoded = lt.bencode(meta)
    with open(path, 'wb') as f:
        f.write(encoded)
    return str(lt.torrent_info(lt.bdecode(encoded)).info_hashes().v1)


def start_tracker(procs, run_dir, info_hash):
    """opentracker on 127.0.0.1 tracking only our torrent. Debian's build only serves whitelisted info hashes. When
    started as root it chroots to its working directory and then drops to 'nobody' before it reads the whitelist:
    so it runs in '/', and the whitelist has an absolute path that 'nobody' can read."""
    whitelist = os.path.join(run_dir, 'whitelist.txt')
    with open(whitelist, 'w') as f:
        f.write(info_hash + '\n')
    os.chmod(whitelist, 0o644)
    for d in (os.path.dirname(run_dir), run_dir):  # mkdtemp makes 0700 directories; 'nobody' must get through
        os.chmod(d, os.stat(d).st_mode | 0o055)
    port = free_port(TRACKER_IP)
    proc = procs.start(['opentracker', '-i', TRACKER_IP, '-p', str(port), '-w', whitelist],
                       os.path.join(run_dir, 'opentracker.log'), cwd='/')
    url = 'http://%s:%d/announce' % (TRACKER_IP, port)
    # A probe announce that stops at once: accepted only once the tracker listens and has read the whitelist.
    query = urllib.parse.urlencode({
        'info_hash': bytes.fromhex(info_hash), 'peer_id': b'-BENCH0-' + os.urandom(6).hex().encode()[:12],
        'port': 1, 'uploaded': 0, 'downloaded': 0, 'left': 0, 'event': 'stopped', 'compact': 1, 'numwant': 0},
        quote_via=urllib.parse.quote)  # a space in the info hash as %20: opentracker reads no '+'
    deadline, last = time.monotonic() + 15, 'no answer'
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError('opentracker exited (%s); see %s' % (proc.returncode, run_dir))
        try:
            with urllib.request.urlopen(url + '?' + query, timeout=2) as r:
                answer = lt.bdecode(r.read())
            if isinstance(answer, dict) and b'failure reason' not in answer:
                return proc, url
            last = repr(answer)
        except (OSError, urllib.error.URLError) as e:
            last = str(e)
        time.sleep(0.1)
    raise RuntimeError('opentracker did not accept the probe announce: ' + last)


def start_jtorrent_seeder(procs, run_dir, torrent, data_dir, url, info_hash):
    """`jtorrent seed`, ready once the tracker's scrape counts it as a seed."""
    port = free_port(SEEDER_IP)
    proc = procs.start([os.path.join(ROOT, 'jtorrent'), 'seed', torrent, '-d', data_dir, '--port', str(port),
                        '--bind', SEEDER_IP, '--quiet'], os.path.join(run_dir, 'seeder.log'), cwd=ROOT)
    proc.peer_port = port
    scrape = url.replace('/announce', '/scrape') + '?' + urllib.parse.urlencode(
        {'info_hash': bytes.fromhex(info_hash)}, quote_via=urllib.parse.quote)
    deadline = time.monotonic() + 120  # a full check of the data comes first
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError('jtorrent seed exited (%s); see %s/seeder.log' % (proc.returncode, run_dir))
        try:
            with urllib.request.urlopen(scrape, timeout=2) as r:
                files = lt.bdecode(r.read()).get(b'files', {})
            if any(entry.get(b'complete', 0) >= 1 for entry in files.values()):
                return proc
        except (OSError, urllib.error.URLError, AttributeError):
            pass
        time.sleep(0.2)
    with open(os.path.join(run_dir, 'seeder.log'), errors='replace') as f:
        tail = f.read()[-2000:].strip()
    raise RuntimeError('jtorrent seed did not announce in 120 s; its log ends:\n' + tail)


def start_seeder(procs, run_dir, torrent, data_dir):
    port = free_port(SEEDER_IP)
    proc = procs.start(['/usr/bin/python3', '-c', LIBTORRENT_PEER, torrent, data_dir, SEEDER_IP, str(port), 'seed',
                        LIBTORRENT_ENCRYPTION, SEEDER_TRANSPORTS],
                       os.path.join(run_dir, 'seeder.log'), stdout=subprocess.PIPE, stdin=subprocess.PIPE)
    proc.peer_port = port
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            line = proc.stdout.readline()
            if line.strip() == b'announced':
                return proc
            if not line:
                break
    raise RuntimeError('the libtorrent seeder did not announce; see %s/seeder.log' % run_dir)


def non_readers(count, requests, torrent, seeder):
    """`count` peers that ask the seeder for `requests` blocks each and then read nothing; returns their sockets,
    which must stay open (unread) for as long as they are to weigh on the seeder."""
    info = lt.torrent_info(torrent)
    info_hash = bytes.fromhex(str(info.info_hashes().v1))
    piece_length, total = info.piece_length(), info.total_size()
    blocks = [(offset // piece_length, offset % piece_length) for offset in range(0, total, 16384)]
    reserved = bytes([0, 0, 0, 0, 0, 0, 0, 0x04])  # the fast extension (BEP 6)
    sockets = []
    for n in range(count):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.bind(('127.0.0.%d' % (FIRST_NON_READER_HOST + n), 0))
        sock.settimeout(30)
        sock.connect((SEEDER_IP, seeder.peer_port))
        sock.sendall(b'\x13BitTorrent protocol' + reserved + info_hash + b'-NR0000-' + os.urandom(6).hex().encode()
                     + struct.pack('>IB', 1, 2))  # handshake, interested
        receive(sock, 68)
        while True:  # its bitfield, extension handshake...: until it unchokes us
            length = struct.unpack('>I', receive(sock, 4))[0]
            message = receive(sock, length)
            if length == 1 and message[0] == 1:
                break
        wanted = random.sample(blocks, min(requests, len(blocks)))
        sock.sendall(b''.join(struct.pack('>IBIII', 13, 6, piece, begin,
                                          min(16384, total - piece * piece_length - begin))
                              for piece, begin in wanted))
        sockets.append(sock)
    return sockets


def receive(sock, count):
    data = b''
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise RuntimeError('the seeder closed a non-reading peer before it was unchoked')
        data += chunk
    return data


# ---------------------------------------------------------------------------------------------------------------
# Leechers


class Run:
    def __init__(self, client):
        self.client = client
        self.seconds = self.cpu = self.rss = self.seeder_cpu = float('nan')
        self.result = 'BAD'


def run_exiting(procs, argv, log_path, timeout, run, **kwargs):
    """A leecher that exits when its download is complete; times it to its exit and reads its rusage."""
    start = time.monotonic()
    proc = procs.start(argv, log_path, **kwargs)
    result = wait_for(proc.pid, timeout)
    run.seconds = time.monotonic() - start
    if result:
        status, usage = result
        procs.reaped(proc, status)
        run.result = 'OK' if proc.returncode == 0 else 'BAD'
        if proc.returncode != 0:
            log('%s exited with %s' % (run.client, proc.returncode))
    else:
        usage = procs.stop(proc, grace=0.0)
        run.result = 'TIMEOUT'
    if usage:
        run.cpu = usage.ru_utime + usage.ru_stime
        run.rss = usage.ru_maxrss / 1024


def jtorrent(procs, torrent, dl, aux, ip, timeout, run, seeder, *options):
    port = free_port(ip)
    argv = [os.path.join(ROOT, 'jtorrent'), 'download', torrent, '-d', dl, '--port', str(port), '--bind', ip,
            '--quiet'] + list(options)
    run_exiting(procs, argv, os.path.join(aux, 'log'), timeout, run, cwd=ROOT)


def jtorrent_tcp(procs, torrent, dl, aux, ip, timeout, run, seeder):
    """jtorrent over TCP alone in plaintext: what jtorrent-utp and jtorrent-rc4 are measured against."""
    jtorrent(procs, torrent, dl, aux, ip, timeout, run, seeder, '--transports', 'tcp', '--encryption', 'disable')


def jtorrent_utp(procs, torrent, dl, aux, ip, timeout, run, seeder):
    """jtorrent over uTP alone in plaintext."""
    jtorrent(procs, torrent, dl, aux, ip, timeout, run, seeder, '--transports', 'utp', '--encryption', 'disable')


def jtorrent_rc4(procs, torrent, dl, aux, ip, timeout, run, seeder):
    """jtorrent over TCP with --encryption require: the whole stream RC4-encrypted."""
    jtorrent(procs, torrent, dl, aux, ip, timeout, run, seeder, '--transports', 'tcp', '--encryption', 'require')


def libtorrent_tcp(procs, torrent, dl, aux, ip, timeout, run, seeder):
    port = free_port(ip)
    argv = ['/usr/bin/python3', '-c', LIBTORRENT_PEER, torrent, dl, ip, str(port), 'leech', LIBTORRENT_ENCRYPTION,
            'tcp']
    run_exiting(procs, argv, os.path.join(aux, 'log'), timeout, run, cwd=aux)


def libtorrent_utp(procs, torrent, dl, aux, ip, timeout, run, seeder):
    """libtorrent over uTP alone, with 4 MiB UDP buffers (its defaults make it an order of magnitude slower)."""
    port = free_port(ip)
    argv = ['/usr/bin/python3', '-c', LIBTORRENT_PEER, torrent, dl, ip, str(port), 'leech', LIBTORRENT_ENCRYPTION,
            'utp']
    run_exiting(procs, argv, os.path.join(aux, 'log'), timeout, run, cwd=aux)


def aria2(procs, torrent, dl, aux, ip, timeout, run, seeder):
    port = free_port(ip)
    argv = ['aria2c', '-q', '--seed-time=0', '--enable-dht=false', '--enable-dht6=false', '--bt-enable-lpd=false',
            '--enable-peer-exchange=false', '--listen-port=%d' % port, '--interface=%s' % ip, '--dir', dl, torrent]
    run_exiting(procs, argv, os.path.join(aux, 'log'), timeout, run, cwd=aux, env=dict(os.environ, HOME=aux))


def sink(procs, torrent, dl, aux, ip, timeout, run, seeder):
    info = lt.torrent_info(torrent)
    argv = ['/usr/bin/python3', '-c', SINK_PEER, SEEDER_IP, str(seeder.peer_port), ip, str(info.info_hashes().v1),
            str(info.total_size()), str(info.piece_length()), str(SINK_DEPTH)]
    run_exiting(procs, argv, os.path.join(aux, 'log'), timeout, run, cwd=aux)


class TransmissionRpc:
    def __init__(self, port):
        self.url = 'http://127.0.0.1:%d/transmission/rpc' % port
        self.session_id = ''

    def call(self, method, **arguments):
        body = json.dumps({'method': method, 'arguments': arguments}).encode()
        for _ in range(3):
            request = urllib.request.Request(self.url, data=body, method='POST', headers={
                'Content-Type': 'application/json', 'X-Transmission-Session-Id': self.session_id})
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    answer = json.load(r)
            except urllib.error.HTTPError as e:
                if e.code == 409:  # CSRF guard: retry with the session id it hands out
                    self.session_id = e.headers.get('X-Transmission-Session-Id', '')
                    continue
                raise
            if answer.get('result') != 'success':
                raise RuntimeError('transmission %s: %s' % (method, answer.get('result')))
            return answer.get('arguments', {})
        raise RuntimeError('transmission %s: no session id' % method)


def transmission(procs, torrent, dl, aux, ip, timeout, run, seeder):
    """transmission-daemon driven over RPC; it never exits by itself, so completion is percentDone reaching 1.

    Transmission 3.00 never dials a peer on 127.0.0.0/8 that a tracker hands it: it files loopback addresses with
    the "martian" ones (isMartianAddr in libtransmission/net.c), so the announce succeeds and no connection follows.
    It does accept connections from loopback, so the seeder is told to dial it instead, once the torrent is added.
    After that, Transmission only sends 'interested' on its 10-second rechoke pulse, and that wait is part of its
    time as a user would see it."""
    peer_port = free_port(ip, also_ipv6=True)
    rpc_port = free_port('127.0.0.1')
    config = os.path.join(aux, 'config')
    os.makedirs(config)
    settings = {
        'bind-address-ipv4': ip,  # listening and outgoing connections, announces included
        'bind-address-ipv6': '::1',
        'peer-port': peer_port, 'peer-port-random-on-start': False,
        'rpc-enabled': True, 'rpc-bind-address': '127.0.0.1', 'rpc-port': rpc_port,
        'rpc-authentication-required': False, 'rpc-whitelist-enabled': False, 'rpc-host-whitelist-enabled': False,
        'dht-enabled': False, 'lpd-enabled': False, 'pex-enabled': False, 'utp-enabled': False,
        'port-forwarding-enabled': False, 'blocklist-enabled': False,
        'download-dir': dl, 'incomplete-dir-enabled': False, 'rename-partial-files': False,
        'watch-dir-enabled': False, 'start-added-torrents': True,
    }
    with open(os.path.join(config, 'settings.json'), 'w') as f:
        json.dump(settings, f, indent=1)
    with open(torrent, 'rb') as f:
        metainfo = base64.b64encode(f.read()).decode()

    start = time.monotonic()
    deadline = start + timeout
    proc = procs.start(['transmission-daemon', '-f', '-g', config, '--log-error'], os.path.join(aux, 'log'),
                       cwd=aux, env=dict(os.environ, HOME=aux))
    rpc = TransmissionRpc(rpc_port)
    added = None
    while added is None and time.monotonic() < deadline and proc.poll() is None:
        try:
            added = rpc.call('torrent-add', metainfo=metainfo, **{'download-dir': dl})
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.02)  # the RPC server is not up yet
    if added is None:
        run.result = 'TIMEOUT' if proc.poll() is None else 'BAD'
        procs.stop(proc)
        return
    ident = (added.get('torrent-added') or added.get('torrent-duplicate'))['id']
    dialed = 0.0
    while True:
        now = time.monotonic()
        if now >= deadline:
            run.seconds = now - start
            run.cpu, run.rss = tree_usage(proc.pid)
            run.result = 'TIMEOUT'
            break
        torrents = rpc.call('torrent-get', ids=[ident],
                            fields=['percentDone', 'peersConnected', 'error', 'errorString'])['torrents']
        state = torrents[0]
        if state['peersConnected'] == 0 and now - dialed > 5:  # again if the first attempt did not take
            seeder.stdin.write(b'connect %s %d\n' % (ip.encode(), peer_port))
            seeder.stdin.flush()
            dialed = now
        if state['percentDone'] >= 1:
            run.seconds = time.monotonic() - start
            run.cpu, run.rss = tree_usage(proc.pid)  # before stopping: the daemon is still ours to read
            run.result = 'OK'
            break
        if state.get('error'):
            log('transmission: ' + state.get('errorString', ''))
        time.sleep(0.05)
    try:
        rpc.call('torrent-stop', ids=[ident])  # flushes its cache to the file
    except (OSError, RuntimeError, urllib.error.URLError):
        pass
    procs.stop(proc, grace=10.0)


LEECHERS = {'jtorrent': jtorrent, 'jtorrent-tcp': jtorrent_tcp, 'jtorrent-utp': jtorrent_utp,
            'jtorrent-rc4': jtorrent_rc4, 'libtorrent-tcp': libtorrent_tcp, 'libtorrent-utp': libtorrent_utp,
            'aria2': aria2, 'transmission': transmission, 'sink': sink}
UTP_LEECHERS = ('jtorrent-utp', 'libtorrent-utp')
RC4_LEECHERS = ('jtorrent-rc4',)
DISCARDING = ('sink',)  # keep no file: OK means every block arrived, and they are no reference for jtorrent


# ---------------------------------------------------------------------------------------------------------------
# Report


def summary(client, runs, size_mib):
    ok = [r for r in runs if r.result == 'OK']
    chosen = ok or runs
    pick = lambda values: statistics.median(values) if values else float('nan')
    seconds = pick([r.seconds for r in chosen])
    cpu = pick([r.cpu for r in chosen])
    rss = pick([r.rss for r in chosen])
    seeder_cpu = pick([r.seeder_cpu for r in chosen])
    if len(runs) == 1:
        result = runs[0].result
    else:
        counts = {}
        for r in runs:
            counts[r.result] = counts.get(r.result, 0) + 1
        result = ', '.join('%s %d/%d' % (k, v, len(runs)) for k, v in sorted(counts.items()))
    speed = size_mib / seconds if ok else float('nan')
    return {'client': client, 'seconds': seconds, 'speed': speed, 'cpu': cpu, 'cpu_gib': cpu / (size_mib / 1024),
            'rss': rss, 'seeder_cpu': seeder_cpu, 'seeder_core': seeder_cpu / seconds, 'result': result,
            'ok': bool(ok)}


def fmt(value, digits):
    return '-' if value != value else '%.*f' % (digits, value)


def percent(fraction):
    return '-' if fraction != fraction else '%.0f%%' % (100 * fraction)


def report(rows, size_mib, piece_kib, rounds, seeder, non_readers):
    print()
    print('%d MiB, %d KiB pieces, one %s seeder on loopback%s%s; libtorrent encryption %s' % (
        size_mib, piece_kib, seeder, ', median of %d rounds' % rounds if rounds > 1 else '',
        ', %d non-reading peers on it' % non_readers if non_readers else '', LIBTORRENT_ENCRYPTION))
    print()
    print('| client | seconds | MiB/s | CPU s | CPU s per GiB | max RSS MiB | seeder CPU s | seeder core | result |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---|')
    for row in rows:
        print('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            row['client'], fmt(row['seconds'], 2), fmt(row['speed'], 1), fmt(row['cpu'], 2),
            fmt(row['cpu_gib'], 2), fmt(row['rss'], 0), fmt(row['seeder_cpu'], 2),
            percent(row['seeder_core']), row['result']))
    mine = next((r for r in rows if r['client'] == 'jtorrent'), None)
    references = [r for r in rows if r['client'] in REFERENCE and r['ok']]
    if mine is None or not mine['ok']:
        print('\njtorrent: %s' % ('not run' if mine is None else 'no successful download'))
        transports(rows)
        return
    parts = []
    if references:
        fastest = max(references, key=lambda r: r['speed'])
        parts.append('%.2fx the fastest reference (%s)' % (mine['speed'] / fastest['speed'], fastest['client']))
    lib = next((r for r in references if r['client'] == 'libtorrent-tcp'), None)
    if lib and lib['cpu_gib'] > 0:
        parts.append("%.2fx libtorrent's CPU per GiB" % (mine['cpu_gib'] / lib['cpu_gib']))
    print('\njtorrent: ' + (', '.join(parts) if parts else 'no reference leecher finished'))
    transports(rows)


def transports(rows):
    """The ratios of issue 16: jtorrent over uTP against its TCP and libtorrent's uTP; RC4's CPU against plaintext."""
    by = {r['client']: r for r in rows if r['ok']}
    utp, tcp, rc4 = by.get('jtorrent-utp'), by.get('jtorrent-tcp'), by.get('jtorrent-rc4')
    lt_utp = by.get('libtorrent-utp')
    if utp and tcp:
        print('jtorrent over uTP: %.2fx its speed over TCP' % (utp['speed'] / tcp['speed']))
    if utp and lt_utp:
        print('jtorrent over uTP: %.2fx the speed of libtorrent over uTP' % (utp['speed'] / lt_utp['speed']))
    if rc4 and tcp:
        print('jtorrent with RC4: %.2f CPU s per GiB against %.2f in plaintext (%.2fx), %.2fx the speed' % (
            rc4['cpu_gib'], tcp['cpu_gib'], rc4['cpu_gib'] / tcp['cpu_gib'], rc4['speed'] / tcp['speed']))


# ---------------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size-mib', type=int, default=1024, help='content size (default 1024)')
    parser.add_argument('--piece-kib', type=int, default=1024, help='piece size (default 1024)')
    parser.add_argument('--rounds', type=int, default=1, help='runs of each leecher (default 1)')
    parser.add_argument('--leechers', default=','.join(CLIENTS), help='comma-separated, in order (default %(default)s)')
    parser.add_argument('--timeout', type=float, default=300, help='seconds before a leecher is killed (default 300)')
    parser.add_argument('--seeder', default='libtorrent', choices=['libtorrent', 'jtorrent'],
                        help='who seeds (default libtorrent; with jtorrent, Transmission cannot take part: it never'
                             ' dials loopback peers and only the libtorrent seeder can be told to dial it)')
    parser.add_argument('--work', default='/tmp/jtorrent-bench', help='cache and scratch directory')
    parser.add_argument('--non-readers', type=int, default=0,
                        help='peers that ask the seeder for blocks and never read them, connected first (default 0)')
    parser.add_argument('--non-reader-requests', type=int, default=1000,
                        help='blocks each non-reading peer asks for (default 1000)')
    parser.add_argument('--libtorrent-encryption', action='store_true',
                        help='let libtorrent peers speak MSE as they do by default (needed by jtorrent-rc4, which'
                             ' requires RC4); otherwise they are plaintext only')
    args = parser.parse_args()
    global LIBTORRENT_ENCRYPTION, SEEDER_TRANSPORTS
    leechers = [name.strip() for name in args.leechers.split(',') if name.strip()]
    LIBTORRENT_ENCRYPTION = 'on' if args.libtorrent_encryption or any(n in RC4_LEECHERS for n in leechers) else 'off'
    SEEDER_TRANSPORTS = 'both' if any(n in UTP_LEECHERS for n in leechers) else 'tcp'
    unknown = [name for name in leechers if name not in LEECHERS]
    if unknown or not leechers:
        parser.error('unknown leecher %s; known: %s' % (', '.join(unknown), ', '.join(LEECHERS)))
    if args.size_mib <= 0 or args.rounds <= 0 or args.piece_kib < 16 or args.piece_kib & (args.piece_kib - 1):
        parser.error('--size-mib and --rounds must be positive, --piece-kib a power of two >= 16')
    needed = {'opentracker': True, 'aria2c': 'aria2' in leechers, 'transmission-daemon': 'transmission' in leechers}
    missing = [tool for tool, want in needed.items() if want and not shutil.which(tool)]
    if missing:
        sys.exit('bench: missing %s (apt-get install opentracker aria2 transmission-daemon)' % ', '.join(missing))

    if args.seeder == 'jtorrent' and 'transmission' in leechers:
        parser.error('transmission cannot leech from the jtorrent seeder here; see --help')
    if any(name.startswith('jtorrent') for name in leechers) or args.seeder == 'jtorrent':
        log('building jtorrent if needed')
        subprocess.run([os.path.join(ROOT, 'jtorrent'), '--version'], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    os.makedirs(args.work, exist_ok=True)
    work = os.path.abspath(args.work)
    data, sha1, cached_torrent = content(work, args.size_mib, args.piece_kib)

    signal.signal(signal.SIGINT, _on_sigterm)  # also when started from a shell that ignores it for background jobs
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    procs = Processes()
    run_dir = tempfile.mkdtemp(prefix='run-', dir=work)
    runs = {name: [] for name in leechers}
    try:
        torrent = os.path.join(run_dir, 'bench.torrent')
        info_hash = with_tracker(cached_torrent, 'http://127.0.0.1:0/announce', torrent)
        tracker, url = start_tracker(procs, run_dir, info_hash)
        with_tracker(cached_torrent, url, torrent)
        if args.seeder == 'jtorrent':
            seeder = start_jtorrent_seeder(procs, run_dir, torrent, os.path.dirname(data), url, info_hash)
        else:
            seeder = start_seeder(procs, run_dir, torrent, os.path.dirname(data))
        log('tracker %s, %s seeder %s (pid %d) announced; %d MiB in %d KiB pieces'
            % (url, args.seeder, SEEDER_IP, seeder.pid, args.size_mib, args.piece_kib))
        takers = non_readers(args.non_readers, args.non_reader_requests, torrent, seeder)
        if takers:
            log('%d non-reading peers asked the seeder for %d blocks each' % (len(takers), args.non_reader_requests))
        for round_no in range(1, args.rounds + 1):
            for n, name in enumerate(leechers):
                ip = '127.0.0.%d' % (FIRST_LEECHER_HOST + n)
                base = os.path.join(run_dir, '%s-%d' % (name, round_no))
                dl, aux = base + '-download', base + '-aux'
                os.makedirs(dl)
                os.makedirs(aux)
                run = Run(name)
                seeder_before = tree_usage(seeder.pid)[0]
                LEECHERS[name](procs, torrent, dl, aux, ip, args.timeout, run, seeder)
                run.seeder_cpu = tree_usage(seeder.pid)[0] - seeder_before
                if run.result == 'OK' and name not in DISCARDING:
                    got = os.path.join(dl, os.path.basename(data))
                    if not (os.path.isfile(got) and os.path.getsize(got) == os.path.getsize(data)
                            and sha1_of(got) == sha1):
                        run.result = 'BAD'
                if run.result != 'OK':
                    try:
                        with open(os.path.join(aux, 'log'), errors='replace') as f:
                            tail = f.read()[-2000:].strip()
                        if tail:
                            log('%s log:\n%s' % (name, tail))
                    except OSError:
                        pass
                runs[name].append(run)
                log('%s round %d/%d on %s: %.2f s, %.2f CPU s, %.0f MiB RSS, seeder %.2f CPU s, %s' % (
                    name, round_no, args.rounds, ip, run.seconds, run.cpu, run.rss, run.seeder_cpu, run.result))
                shutil.rmtree(dl, ignore_errors=True)
                shutil.rmtree(aux, ignore_errors=True)
                time.sleep(1)  # let the seeder drop the finished connection
        report([summary(name, runs[name], args.size_mib) for name in leechers], args.size_mib, args.piece_kib,
               args.rounds, args.seeder, len(takers))
        for sock in takers:
            sock.close()
    except (KeyboardInterrupt, Interrupted):
        log('interrupted; cleaning up')
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        procs.stop_all()
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
