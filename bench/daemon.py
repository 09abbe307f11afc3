#!/usr/bin/python3
"""What a daemon holding many torrents costs, and how fast it answers the pollers: transmission-daemon and jtorrent's
daemon, one after the other, each given the same N torrents over the same Transmission RPC.

    bench/daemon.py [--torrents 10000] [--pieces 16] [--piece-kib 256] [--settle 10] [--idle 30] [--polls 5]
                    [--daemons transmission,jtorrent] [--heap 256m] [--work /tmp/jtorrent-bench]

Needs transmission-daemon (Debian's transmission-daemon, 3.00 here) and a JDK 21 or newer (found as ./jtorrent
finds it). The torrents are made afresh in a scratch directory under --work: one file of --pieces pieces each,
random piece hashes, no announce URL, and their data is absent. Each daemon runs alone, listening for peers on
127.0.0.1 only, with the DHT, LSD and PEX off and RPC authentication off. The bench adds every torrent with
torrent-add (metainfo in base64, started, as a user's adds), waits --settle seconds, and measures:

  add s          from the first torrent-add to the answer of the last;
  idle RSS       resident memory at the end of the idle time (VmRSS);
  idle CPU       user + system CPU over --idle seconds, as a share of one core (/proc/PID/stat);
  torrent-get s  one torrent-get of every torrent with the 27 fields the Transmission web client polls, the median
                 of --polls, as the client sees it (request to the last byte of the answer);
  maindata s     (jtorrent only) one qBittorrent Web API sync/maindata poll with rid 0, the median of --polls.

jtorrent's daemon runs with -Xmx given by --heap (JTORRENT_JAVA_OPTS reaches its JVM too). The allocation of a
torrent-get is measured by the JMH benchmark in bench/ (see README.md), not here.
"""
import argparse
import base64
import importlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from download import ROOT, Interrupted, Processes, _on_sigterm, free_port, log
# many-torrents.py's helpers for torrents and a process's figures; its name is not an identifier, hence importlib.
_many = importlib.import_module('many-torrents')
cpu_seconds, make_torrents, proc_status = _many.cpu_seconds, _many.make_torrents, _many.proc_status

# The fields Transmission's web client (3.00) asks for every torrent on each refresh.
WEB_CLIENT_FIELDS = ['addedDate', 'name', 'totalSize', 'error', 'errorString', 'eta', 'isFinished', 'isStalled',
                     'leftUntilDone', 'metadataPercentComplete', 'peersConnected', 'peersGettingFromUs',
                     'peersSendingToUs', 'percentDone', 'queuePosition', 'rateDownload', 'rateUpload',
                     'recheckProgress', 'seedRatioMode', 'seedRatioLimit', 'sizeWhenDone', 'status', 'trackers',
                     'downloadDir', 'uploadedEver', 'uploadRatio', 'webseedsSendingToUs']
PEER_IP = '127.0.0.1'


class Rpc:
    """The Transmission RPC, with its session-id handshake; raw answers, so that timing covers the whole reply."""

    def __init__(self, port):
        self.url = 'http://127.0.0.1:%d/transmission/rpc' % port
        self.session_id = ''

    def raw(self, method, arguments, timeout=60):
        body = json.dumps({'method': method, 'arguments': arguments}).encode()
        for _ in range(3):
            request = urllib.request.Request(self.url, data=body, method='POST', headers={
                'Content-Type': 'application/json', 'X-Transmission-Session-Id': self.session_id})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as r:
                    return r.read()
            except urllib.error.HTTPError as e:
                if e.code == 409:
                    self.session_id = e.headers.get('X-Transmission-Session-Id', '')
                    continue
                raise
        raise RuntimeError('%s: no session id' % method)

    def call(self, method, **arguments):
        answer = json.loads(self.raw(method, arguments))
        if answer.get('result') != 'success':
            raise RuntimeError('%s: %s' % (method, answer.get('result')))
        return answer.get('arguments', {})

    def wait_up(self, proc, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError('the daemon exited (%s) before its RPC answered' % proc.returncode)
            try:
                return self.call('session-get')
            except (ConnectionError, urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise RuntimeError('no RPC answer within %.0f s' % timeout)


def start_transmission(procs, run_dir, args):
    config, data = os.path.join(run_dir, 'transmission-config'), os.path.join(run_dir, 'transmission-data')
    os.makedirs(config)
    os.makedirs(data)
    rpc_port = free_port('127.0.0.1')
    settings = {
        'bind-address-ipv4': PEER_IP, 'bind-address-ipv6': '::1',
        'peer-port': free_port(PEER_IP, also_ipv6=True), 'peer-port-random-on-start': False,
        'rpc-enabled': True, 'rpc-bind-address': '127.0.0.1', 'rpc-port': rpc_port,
        'rpc-authentication-required': False, 'rpc-whitelist-enabled': False, 'rpc-host-whitelist-enabled': False,
        'dht-enabled': False, 'lpd-enabled': False, 'pex-enabled': False, 'utp-enabled': False,
        'port-forwarding-enabled': False, 'blocklist-enabled': False, 'download-dir': data,
        'incomplete-dir-enabled': False, 'watch-dir-enabled': False, 'start-added-torrents': True,
        'download-queue-enabled': False, 'seed-queue-enabled': False,
    }
    with open(os.path.join(config, 'settings.json'), 'w') as f:
        json.dump(settings, f, indent=1)
    proc = procs.start(['transmission-daemon', '-f', '-g', config, '--log-error'],
                       os.path.join(run_dir, 'transmission.log'), env=dict(os.environ, HOME=run_dir))
    return proc, rpc_port, data


def start_jtorrent(procs, run_dir, args):
    config, data = os.path.join(run_dir, 'jtorrent-config'), os.path.join(run_dir, 'jtorrent-data')
    os.makedirs(data)
    rpc_port = free_port('127.0.0.1')
    env = dict(os.environ, JTORRENT_JAVA_OPTS=('-Xmx%s %s' % (args.heap, os.environ.get('JTORRENT_JAVA_OPTS', ''))))
    proc = procs.start([os.path.join(ROOT, 'jtorrent'), 'daemon', '--foreground', '--config-dir', config,
                        '--download-dir', data, '--bind', PEER_IP, '--port', str(free_port(PEER_IP)),
                        '--rpc-bind', '127.0.0.1', '--rpc-port', str(rpc_port), '--no-rpc-auth',
                        '--no-dht', '--no-lsd', '--no-pex'],
                       os.path.join(run_dir, 'jtorrent.log'), env=env)
    return proc, rpc_port, data


def java_pid(proc):
    """The daemon's own process: ./jtorrent execs java, so it is the launched process itself."""
    return proc.pid


def timed(function, count):
    times = []
    for _ in range(count):
        start = time.monotonic()
        function()
        times.append(time.monotonic() - start)
    return statistics.median(times)


def maindata(port):
    url = 'http://127.0.0.1:%d/api/v2/sync/maindata?rid=0' % port
    with urllib.request.urlopen(urllib.request.Request(url, headers={'Referer': 'http://127.0.0.1:%d/' % port}),
                                timeout=60) as r:
        return r.read()


def measure(name, procs, run_dir, torrent_dir, args):
    starter = {'transmission': start_transmission, 'jtorrent': start_jtorrent}[name]
    proc, rpc_port, data = starter(procs, run_dir, args)
    rpc = Rpc(rpc_port)
    try:
        rpc.wait_up(proc, args.timeout)
        names = sorted(n for n in os.listdir(torrent_dir) if n.endswith('.torrent'))
        bodies = []
        for n in names:
            with open(os.path.join(torrent_dir, n), 'rb') as f:
                bodies.append(base64.b64encode(f.read()).decode())
        log('%s: adding %d torrents' % (name, len(bodies)))
        start = time.monotonic()
        for body in bodies:
            added = rpc.call('torrent-add', metainfo=body, **{'download-dir': data})
            if 'torrent-added' not in added:
                raise RuntimeError('%s: a torrent was not added: %s' % (name, added))
        add_seconds = time.monotonic() - start
        time.sleep(args.settle)
        pid = java_pid(proc)
        cpu, begin = cpu_seconds(pid), time.monotonic()
        time.sleep(args.idle)
        cpu, wall = cpu_seconds(pid) - cpu, time.monotonic() - begin
        _, rss, threads = proc_status(pid)
        count = len(json.loads(rpc.raw('torrent-get', {'fields': ['id']}))['arguments']['torrents'])
        if count != len(bodies):
            raise RuntimeError('%s holds %d torrents, not %d' % (name, count, len(bodies)))
        get = timed(lambda: rpc.raw('torrent-get', {'fields': WEB_CLIENT_FIELDS}), args.polls)
        sync = timed(lambda: maindata(rpc_port), args.polls) if name == 'jtorrent' else None
    except RuntimeError:
        with open(os.path.join(run_dir, name + '.log'), errors='replace') as f:
            log('%s log:\n%s' % (name, f.read()[-3000:].strip()))
        raise
    procs.stop(proc, grace=15.0)
    row = {'daemon': name, 'add': add_seconds, 'rss': rss, 'cpu': cpu / wall, 'threads': threads, 'get': get,
           'sync': sync}
    log('%s: added in %.1f s, idle at %.0f MiB and %.2f%% of a core, torrent-get %.3f s%s' % (
        name, add_seconds, rss, 100 * row['cpu'], get, '' if sync is None else ', maindata %.3f s' % sync))
    return row


def report(rows, args):
    print()
    print('%d torrents of %d pieces of %d KiB, data absent, no trackers; idle over %g s, %g s after the adds; '
          'jtorrent with -Xmx%s' % (args.torrents, args.pieces, args.piece_kib, args.idle, args.settle, args.heap))
    print()
    print('| daemon | add s | idle RSS MiB | idle CPU (one core) | threads | torrent-get s (27 fields) | maindata s |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for row in rows:
        print('| %s | %.1f | %.0f | %.2f%% | %d | %.3f | %s |' % (
            row['daemon'], row['add'], row['rss'], 100 * row['cpu'], row['threads'], row['get'],
            '-' if row['sync'] is None else '%.3f' % row['sync']))
    mine = next((r for r in rows if r['daemon'] == 'jtorrent'), None)
    theirs = next((r for r in rows if r['daemon'] == 'transmission'), None)
    if mine and theirs:
        ratio = lambda key: '%.2fx' % (mine[key] / theirs[key]) if theirs[key] else '-'
        print("\njtorrent: %s transmission-daemon's add time, %s its idle RSS, %s its idle CPU, %s its torrent-get "
              "time" % (ratio('add'), ratio('rss'), ratio('cpu'), ratio('get')))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--torrents', type=int, default=10_000, help='torrents (default %(default)s)')
    parser.add_argument('--pieces', type=int, default=16, help='pieces per torrent (default %(default)s)')
    parser.add_argument('--piece-kib', type=int, default=256, help='piece size (default %(default)s)')
    parser.add_argument('--settle', type=float, default=10, help='seconds from the adds to the idle time')
    parser.add_argument('--idle', type=float, default=30, help='seconds the idle daemon is measured')
    parser.add_argument('--polls', type=int, default=5, help='torrent-get polls timed (the median is reported)')
    parser.add_argument('--daemons', default='transmission,jtorrent', help='comma-separated, in order')
    parser.add_argument('--heap', default='256m', help="jtorrent's -Xmx (default %(default)s)")
    parser.add_argument('--timeout', type=float, default=120, help='seconds a daemon may take to start')
    parser.add_argument('--work', default='/tmp/jtorrent-bench', help='scratch directory')
    args = parser.parse_args()
    daemons = [name.strip() for name in args.daemons.split(',') if name.strip()]
    if not daemons or any(name not in ('transmission', 'jtorrent') for name in daemons):
        parser.error('--daemons takes transmission and jtorrent')
    if args.torrents <= 0 or args.pieces <= 0 or args.polls <= 0:
        parser.error('--torrents, --pieces and --polls must be positive')
    if 'jtorrent' in daemons:
        log('building jtorrent if needed')
        subprocess.run([os.path.join(ROOT, 'jtorrent'), '--version'], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    os.makedirs(args.work, exist_ok=True)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_sigterm)
    procs = Processes()
    run_dir = tempfile.mkdtemp(prefix='daemon-', dir=os.path.abspath(args.work))
    try:
        torrent_dir = os.path.join(run_dir, 'torrents')
        os.makedirs(torrent_dir)
        log('making %d torrents in %s' % (args.torrents, torrent_dir))
        make_torrents(torrent_dir, args.torrents, args.pieces, args.piece_kib)
        rows = [measure(name, procs, run_dir, torrent_dir, args) for name in daemons]
        report(rows, args)
    except (KeyboardInterrupt, Interrupted):
        log('interrupted; cleaning up')
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        procs.stop_all()
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
