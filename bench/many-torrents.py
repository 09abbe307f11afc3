#!/usr/bin/python3
"""What idle torrents cost: N torrents whose data is absent and which have no trackers, added to one libtorrent
session and to one jtorrent session, one client after the other.

    bench/many-torrents.py [--torrents 10000] [--pieces 16] [--piece-kib 256] [--settle 2] [--idle 10]
                           [--clients libtorrent,jtorrent] [--libtorrent-unmanaged] [--work /tmp/jtorrent-bench]

Needs /usr/bin/python3 with python3-libtorrent (the Debian package) and a JDK 21 or newer (found as ./jtorrent finds
it). The torrents are made afresh in a scratch directory under --work: one file of --pieces pieces each, random piece
hashes, no announce URL. Each client runs alone, in a process of its own, listening on 127.0.0.1 only; it parses
every torrent first, then adds them all and says how long that took. The bench then waits --settle seconds and
measures the process over --idle seconds. Everything a run starts is stopped by its pid and the scratch directory
is removed, also on Ctrl-C.

What is measured for each client:
  add s       from the first add to the last: libtorrent until every torrent's torrent_checked_alert has come
              (it adds asynchronously, then checks for data one torrent at a time), jtorrent until every
              torrent's TorrentHandle.checked() has completed (the same: its adds return at once, and a queue
              checks one torrent at a time);
  peak RSS    the most resident memory the process had (VmHWM), adds included;
  idle RSS    resident memory at the end of the idle time (VmRSS);
  idle CPU    user + system CPU of the process over the idle time, as a share of one core (/proc/PID/stat);
  threads     the process's threads at the end of the idle time, every kind (a JVM's collector and compiler
              threads included).

libtorrent's torrents are auto-managed, its default: it starts a few of them (active_downloads, 3) and keeps the
others paused in its queue; --libtorrent-unmanaged adds them all started instead, as jtorrent runs them. jtorrent
runs bench/ManyTorrents.java, compiled into the scratch directory against cli/target/jtorrent.jar, with the JVM's
default settings (what ./jtorrent gives the long-running `seed`, without its class-data archive);
JTORRENT_JAVA_OPTS reaches its JVM.
"""
import argparse
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

from download import CLK_TCK, ROOT, Interrupted, Processes, _on_sigterm, free_port, log, wait_for

CLIENT_IP = '127.0.0.1'

# libtorrent's side, in an interpreter of its own so that its CPU and memory are its alone. It leaves when its
# standard input ends (the bench closes it, or goes away).
LIBTORRENT_SESSION = r'''
import os, sys, time
import libtorrent as lt
torrent_dir, save_path, ip, port, managed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
names = sorted(name for name in os.listdir(torrent_dir) if name.endswith('.torrent'))
session = lt.session({
    'listen_interfaces': '%s:%d' % (ip, port),
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
    'alert_queue_size': 4 * len(names) + 100,  # each add's alerts are counted below: none may be dropped
})
infos = [lt.torrent_info(os.path.join(torrent_dir, name)) for name in names]
print('parsed %d' % len(infos), flush=True)
start = time.monotonic()
for info in infos:
    params = lt.add_torrent_params()
    params.ti = info
    params.save_path = save_path
    if managed == 'unmanaged':
        params.flags &= ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
    session.async_add_torrent(params)
checked = 0
while checked < len(infos):
    for alert in session.pop_alerts():
        if isinstance(alert, lt.torrent_checked_alert):
            checked += 1
        elif isinstance(alert, lt.add_torrent_alert) and alert.error.value():
            sys.exit('cannot add %s: %s' % (alert.params.ti.name(), alert.error.message()))
    time.sleep(0.01)
print('added %d in %.3f s' % (len(infos), time.monotonic() - start), flush=True)
sys.stdin.read()
'''


def make_torrents(directory, count, pieces, piece_kib):
    """`count` single-file v1 torrents without trackers, with random piece hashes: their data is absent anyway."""
    for i in range(count):
        info = {b'name': b'many-%06d.bin' % i, b'piece length': piece_kib * 1024,
                b'length': pieces * piece_kib * 1024, b'pieces': os.urandom(20 * pieces)}
        with open(os.path.join(directory, 'many-%06d.torrent' % i), 'wb') as f:
            f.write(lt.bencode({b'info': info}))


def java_home():
    """The JDK ./jtorrent runs on."""
    script = '. "$1/.mvn/find-jdk.sh" && printf %s "$JAVA_HOME"'
    return subprocess.run(['sh', '-c', script, 'sh', ROOT], check=True, capture_output=True, text=True).stdout


def jtorrent_command(run_dir):
    """Builds jtorrent if needed and compiles bench/ManyTorrents.java against it; returns the command before its
    arguments."""
    log('building jtorrent if needed')
    subprocess.run([os.path.join(ROOT, 'jtorrent'), '--version'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    jdk = java_home()
    jar = os.path.join(ROOT, 'cli', 'target', 'jtorrent.jar')
    classes = os.path.join(run_dir, 'classes')
    subprocess.run([os.path.join(jdk, 'bin', 'javac'), '-cp', jar, '-d', classes,
                    os.path.join(ROOT, 'bench', 'ManyTorrents.java')], check=True)
    options = shlex.split(os.environ.get('JTORRENT_JAVA_OPTS', ''))
    return [os.path.join(jdk, 'bin', 'java'), '--enable-native-access=ALL-UNNAMED'] + options + [
        '-cp', jar + os.pathsep + classes, 'ManyTorrents']


def proc_status(pid):
    """VmHWM and VmRSS in MiB and the thread count, from /proc/PID/status."""
    values = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            key, _, value = line.partition(':')
            values[key] = value.split()
    return int(values['VmHWM'][0]) / 1024, int(values['VmRSS'][0]) / 1024, int(values['Threads'][0])


def cpu_seconds(pid):
    """User + system CPU seconds of the process so far, every thread's, ended ones included."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def read_line(proc, prefix, timeout):
    """The first line of the process's output that starts with `prefix`, waiting `timeout` seconds at most."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            raise RuntimeError('no "%s" line after %.0f s' % (prefix, timeout))
        line = proc.stdout.readline().decode(errors='replace')
        if not line:
            raise RuntimeError('the process ended (%s) before saying "%s"' % (proc.wait(), prefix))
        if line.startswith(prefix):
            return line


def measure(name, command, procs, run_dir, torrent_dir, args):
    """Runs one client over the torrents and measures it; returns its row of the table. The client is `command`
    with the torrents' directory, the directory of their data, the address and the port to listen on inserted where
    `command` has None."""
    save = os.path.join(run_dir, name + '-data')
    os.makedirs(save)
    at = command.index(None)
    argv = command[:at] + [torrent_dir, save, CLIENT_IP, str(free_port(CLIENT_IP))] + command[at + 1:]
    log_path = os.path.join(run_dir, name + '.log')
    proc = procs.start(argv, log_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        read_line(proc, 'parsed', args.timeout)
        added = read_line(proc, 'added', args.timeout)
        add_seconds = float(added.split()[3])
        time.sleep(args.settle)
        cpu, start = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(args.idle)
        cpu, wall = cpu_seconds(proc.pid) - cpu, time.monotonic() - start
        peak, rss, threads = proc_status(proc.pid)
    except RuntimeError:
        with open(log_path, errors='replace') as f:
            log('%s log:\n%s' % (name, f.read()[-2000:].strip()))
        raise
    proc.stdin.close()  # a clean stop: the session closes and the process exits
    ended = wait_for(proc.pid, args.timeout)
    if ended:
        procs.reaped(proc, ended[0])
    else:
        log('%s did not stop within %.0f s of its input ending' % (name, args.timeout))
        procs.stop(proc)
    row = {'client': name, 'add': add_seconds, 'peak': peak, 'rss': rss, 'cpu': cpu / wall, 'threads': threads}
    log('%s: added in %.2f s, idle at %.0f MiB and %.2f%% of a core, %d threads'
        % (name, add_seconds, rss, 100 * row['cpu'], threads))
    return row


def report(rows, args):
    print()
    print('%d torrents of %d pieces of %d KiB, data absent, no trackers; idle over %g s, %g s after the adds; '
          'libtorrent %s, %s' % (args.torrents, args.pieces, args.piece_kib, args.idle, args.settle, lt.__version__,
                                 'every torrent started' if args.libtorrent_unmanaged else 'auto-managed'))
    print()
    print('| client | add s | peak RSS MiB | idle RSS MiB | idle CPU (one core) | threads |')
    print('|---|---:|---:|---:|---:|---:|')
    for row in rows:
        print('| %s | %.2f | %.0f | %.0f | %.2f%% | %d |' % (
            row['client'], row['add'], row['peak'], row['rss'], 100 * row['cpu'], row['threads']))
    mine = next((r for r in rows if r['client'] == 'jtorrent'), None)
    lib = next((r for r in rows if r['client'] == 'libtorrent'), None)
    if mine and lib:
        ratio = lambda key: '%.2fx' % (mine[key] / lib[key]) if lib[key] else '-'
        print("\njtorrent: %s libtorrent's add time, %s its idle RSS, %s its idle CPU, %d threads to its %d"
              % (ratio('add'), ratio('rss'), ratio('cpu'), mine['threads'], lib['threads']))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--torrents', type=int, default=10_000, help='torrents (default %(default)s)')
    parser.add_argument('--pieces', type=int, default=16, help='pieces per torrent (default %(default)s)')
    parser.add_argument('--piece-kib', type=int, default=256, help='piece size (default %(default)s)')
    parser.add_argument('--settle', type=float, default=2, help='seconds from the adds to the idle time (default 2)')
    parser.add_argument('--idle', type=float, default=10, help='seconds the idle process is measured (default 10)')
    parser.add_argument('--clients', default='libtorrent,jtorrent', help='comma-separated, in order (default %(default)s)')
    parser.add_argument('--libtorrent-unmanaged', action='store_true',
                        help='add every libtorrent torrent started, not auto-managed (queued) as by default')
    parser.add_argument('--timeout', type=float, default=300, help='seconds a client may take to parse, to add, or '
                                                                   'to stop (default 300)')
    parser.add_argument('--work', default='/tmp/jtorrent-bench', help='scratch directory')
    args = parser.parse_args()
    clients = [name.strip() for name in args.clients.split(',') if name.strip()]
    if not clients or any(name not in ('libtorrent', 'jtorrent') for name in clients):
        parser.error('--clients takes libtorrent and jtorrent')
    if args.torrents <= 0 or args.pieces <= 0 or args.piece_kib < 16 or args.piece_kib & (args.piece_kib - 1):
        parser.error('--torrents and --pieces must be positive, --piece-kib a power of two >= 16')

    os.makedirs(args.work, exist_ok=True)
    signal.signal(signal.SIGINT, _on_sigterm)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    procs = Processes()
    run_dir = tempfile.mkdtemp(prefix='many-', dir=os.path.abspath(args.work))
    try:
        commands = {'libtorrent': ['/usr/bin/python3', '-c', LIBTORRENT_SESSION, None,
                                   'unmanaged' if args.libtorrent_unmanaged else 'managed'],
                    'jtorrent': jtorrent_command(run_dir) + [None] if 'jtorrent' in clients else None}
        torrent_dir = os.path.join(run_dir, 'torrents')
        os.makedirs(torrent_dir)
        log('making %d torrents in %s' % (args.torrents, torrent_dir))
        make_torrents(torrent_dir, args.torrents, args.pieces, args.piece_kib)
        rows = []
        for name in clients:
            rows.append(measure(name, commands[name], procs, run_dir, torrent_dir, args))
        report(rows, args)
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
