#!/usr/bin/python3
"""Serving one torrent among many: a leecher's speed from a seeder of N + 1 torrents and from a seeder of that one
torrent alone, jtorrent and libtorrent, in the same run.

    bench/many-seeds.py [--torrents 1000] [--small-kib 1024] [--size-mib 256] [--piece-kib 1024] [--rounds 5]
                        [--warmup 5] [--seeders jtorrent,libtorrent] [--leechers sink,libtorrent] [--check-data]
                        [--big-first] [--idle 3] [--timeout 120] [--work /tmp/jtorrent-bench]

Issue 14's target: "one process seeding 1,000 torrents serves a leecher of one of them at the full speed of a
single-torrent seed". Needs /usr/bin/python3 with python3-libtorrent and a JDK 21 or newer (found as ./jtorrent
finds it); no tracker: each leecher is given the seeder's address.

The content is made once and kept under --work: the big torrent is download.py's (--size-mib of random data in
--piece-kib pieces, content-SIZEMiB), and the --torrents small ones are single files of --small-kib random bytes
each, in 256 KiB pieces (small-COUNTxKIBKiB). Then four seeders start, each in a process of its own on its own
loopback address, and stay up for the whole run:
  jtorrent   N+1   bench/ManySeeds.java (compiled against cli/target/jtorrent.jar, run with the JVM options the
                   launcher gives `jtorrent seed`): one Session, every small torrent and then the big one (with
                   --big-first, the big one first) added through the public API, data trusted
                   (AddOptions.trustData) or, with --check-data, checked;
  jtorrent   1     the same program with the big torrent alone;
  libtorrent N+1   one libtorrent session (high_performance_seed, every torrent started rather than auto-managed,
                   seed_mode unless --check-data) with the same torrents in the same order;
  libtorrent 1     the same with the big torrent alone.
Each seeder says when every one of its torrents is seeding. The bench then measures the idle seeders for --idle
seconds, lets the first leecher download from each seeder --warmup times without counting it, and then runs --rounds
rounds. The warm-up hashes each trusted piece once, and gives the JIT the serving code: the jtorrent seeders' C2
compiler thread is still busy for a minute or more of serving, and with one warm-up it ran in the measured rounds,
more in the 1,001-torrent seeder than in the other, whose CPU per GiB then came out at up to 1.6x the other's; with
five (or eight), little compiling is left for the rounds, and the two seeders' CPU per GiB came out within 0.85x to
1.05x of each other. In each round every leecher downloads the big torrent once from every seeder, one download at a
time, the seeders in the order above in odd rounds and in the reverse order in even ones: the two seeders of a
client are always measured back to back, and neither always first.

The leechers, each a fresh process on 127.0.0.10 for every download:
  sink        download.py's measuring stick: no hashing and no disk, 1000 requests in flight; what it gets is
              about the most that seeder can send, so it shows a difference between seeders that a leecher which
              is itself the bottleneck would hide; quick, so it also makes the warm-up;
  libtorrent  a libtorrent session (TCP only, plaintext, as in download.py) told the seeder's address
              (connect_peer), into an empty directory removed afterwards: the leecher of the target.
What is measured of each download:
  seconds     libtorrent: in the leecher, from adding the torrent to its torrent_finished_alert (every piece
              received and hash-checked), so its interpreter's start-up is left out; sink: its process's life
              (a plain interpreter's start, a few tens of milliseconds, included);
  MiB/s       the big torrent's size over those seconds;
  seeder CPU  user + system CPU of the seeder's process over the leecher's life, per GiB sent, and as a share of
              one core: unlike the speed, the CPU per GiB hardly moves with what else the machine runs;
  leecher CPU user + system CPU of the leecher process (wait4), as a share of one core over its life;
  result      OK when the leecher finished (libtorrent: and left a file of the right size), TIMEOUT after
              --timeout seconds.
The first table shows, for each leecher and seeder, the median of the rounds (and the slowest and fastest); the
second, each seeder's start (from the first add until every torrent seeds), its CPU while idle, its RSS (now and at
its peak) and its threads at the end. Then the ratios: for each client, the speed from its N+1 seeder over the speed
from its 1 seeder (1.00x is the target), as the median of the rounds' ratios (each round's two downloads ran a few
seconds apart, so a change in the machine's load weighs on both) and as the ratio of the medians, with the ratio of
the two seeders' CPU per GiB; and the same for jtorrent's seeders over libtorrent's.
Everything a run starts is stopped by its pid, and its scratch directory removed, also on Ctrl-C.
"""
import argparse
import hashlib
import importlib
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

from download import ROOT, Interrupted, Processes, _on_sigterm, content, free_port, log, wait_for
import download as download_bench

# many-torrents.py's helpers for a JVM and a process's figures; its name is not an identifier, hence importlib.
many = importlib.import_module('many-torrents')

FIRST_SEEDER_HOST = 2  # seeder n listens on 127.0.0.(2 + n)
LEECHER_IP = '127.0.0.10'
SMALL_PIECE = 256 * 1024
# What ./jtorrent gives `jtorrent seed` (see its comments, "Memory"): the serial collector, a heap of 16 MiB that
# grows to 1 GiB at most, and 2 GiB of direct memory. Its class-data archive only speeds up the start, and fits
# the jar alone, not the jar and the bench's classes; `seed` keeps the default compilers. Native access is what
# the jar's manifest grants when run with -jar: jtorrent hashes with libcrypto through it.
JTORRENT_SEED_JVM = ['-XX:+UseSerialGC', '-Xms16m', '-Xmx1g', '-XX:MaxDirectMemorySize=2g',
                     '--enable-native-access=ALL-UNNAMED']

# libtorrent's seeder, in an interpreter of its own so that its CPU and memory are its alone. It seeds until its
# standard input ends (the bench closes it, or goes away).
LIBTORRENT_SEEDER = r'''
import os, select, sys, time
import libtorrent as lt
listing, ip, port, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(listing) as f:
    entries = [line.rstrip('\n').split('\t') for line in f if line.strip()]
settings = lt.high_performance_seed()
settings.update({
    'listen_interfaces': '%s:%d' % (ip, port), 'outgoing_interfaces': ip,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'out_enc_policy': lt.enc_policy.disabled, 'in_enc_policy': lt.enc_policy.disabled,
    'alert_mask': lt.alert.category_t.error_notification,
})
session = lt.session(settings)
infos = [(lt.torrent_info(torrent), directory) for torrent, directory in entries]
print('parsed %d' % len(infos), flush=True)
start = time.monotonic()
handles = []
for info, directory in infos:
    params = lt.add_torrent_params()
    params.ti = info
    params.save_path = directory
    # Started, as jtorrent runs every torrent: auto-managed, all but a few seeds would wait paused in the queue.
    params.flags &= ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
    if mode == 'trust':
        params.flags |= lt.torrent_flags.seed_mode  # each piece is hashed when first requested
    handles.append(session.add_torrent(params))

def report_errors():
    for alert in session.pop_alerts():
        print(alert.message(), file=sys.stderr, flush=True)

pending = handles
while pending:
    report_errors()
    waiting = []
    for handle in pending:
        status = handle.status()
        if status.errc.value():
            sys.exit('cannot seed %s: %s' % (status.name, status.errc.message()))
        if not status.is_seeding:
            waiting.append(handle)
    pending = waiting
    if pending:
        time.sleep(0.05)
print('seeding %d in %.3f s' % (len(handles), time.monotonic() - start), flush=True)
while True:
    if select.select([0], [], [], 0.5)[0] and not os.read(0, 4096):
        break
    report_errors()
'''

# One download: a fresh libtorrent session told the seeder's address. It prints the seconds from adding the
# torrent to its torrent_finished_alert, and how many payload bytes it took.
LIBTORRENT_LEECHER = r'''
import sys, time
import libtorrent as lt
torrent, save_path, ip, port, seeder_ip, seeder_port = sys.argv[1:7]
session = lt.session({
    'listen_interfaces': '%s:%s' % (ip, port), 'outgoing_interfaces': ip,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'out_enc_policy': lt.enc_policy.disabled, 'in_enc_policy': lt.enc_policy.disabled,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification,
})
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
start = time.monotonic()
handle = session.add_torrent(params)
handle.connect_peer((seeder_ip, int(seeder_port)))
dialed = checked = start
finished = False
while not finished:
    # Not session.wait_for_alert(): the binding segfaults with it now and then (docs/architecture.md, Testing).
    for alert in session.pop_alerts():
        if isinstance(alert, lt.torrent_finished_alert):
            finished = True
        elif alert.category() & lt.alert.category_t.error_notification:
            print(alert.message(), file=sys.stderr, flush=True)
    now = time.monotonic()
    if not finished and now - checked > 1:
        checked = now
        if handle.status().num_peers == 0 and now - dialed > 3:  # the first dial did not take: again
            handle.connect_peer((seeder_ip, int(seeder_port)))
            dialed = now
    time.sleep(0.002)
seconds = time.monotonic() - start
print('finished %.4f %d' % (seconds, handle.status().total_payload_download), flush=True)
'''


def small_content(work, count, size_kib):
    """`count` single-file torrents of `size_kib` random bytes each, in SMALL_PIECE pieces, without trackers, made
    once and kept under `work`. Returns the directory of their data and their torrent files in order."""
    folder = os.path.join(work, 'small-%dx%dKiB' % (count, size_kib))
    data_dir, torrent_dir = os.path.join(folder, 'data'), os.path.join(folder, 'torrents')
    names = ['small-%05d' % i for i in range(count)]
    torrents = [os.path.join(torrent_dir, name + '.torrent') for name in names]
    done = os.path.join(folder, 'complete')  # written last: a run cut short is made again
    if not os.path.isfile(done):
        log('making %d torrents of %d KiB of random data in %s' % (count, size_kib, folder))
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(data_dir)
        os.makedirs(torrent_dir)
        for name, torrent in zip(names, torrents):
            data = os.urandom(size_kib * 1024)
            with open(os.path.join(data_dir, name + '.bin'), 'wb') as f:
                f.write(data)
            hashes = b''.join(hashlib.sha1(data[at:at + SMALL_PIECE]).digest()
                              for at in range(0, len(data), SMALL_PIECE))
            info = {b'name': (name + '.bin').encode(), b'piece length': SMALL_PIECE, b'length': len(data),
                    b'pieces': hashes}
            with open(torrent, 'wb') as f:
                f.write(lt.bencode({b'info': info}))
        open(done, 'w').close()
    return data_dir, torrents


def jtorrent_seeder_command(run_dir):
    """Builds jtorrent if needed and compiles bench/ManySeeds.java against it; returns the command before its
    arguments."""
    log('building jtorrent if needed')
    subprocess.run([os.path.join(ROOT, 'jtorrent'), '--version'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    jdk = many.java_home()
    jar = os.path.join(ROOT, 'cli', 'target', 'jtorrent.jar')
    classes = os.path.join(run_dir, 'classes')
    subprocess.run([os.path.join(jdk, 'bin', 'javac'), '-cp', jar, '-d', classes,
                    os.path.join(ROOT, 'bench', 'ManySeeds.java')], check=True)
    options = shlex.split(os.environ.get('JTORRENT_JAVA_OPTS', ''))  # last, so that they win, as in ./jtorrent
    if any(o.startswith('-XX:+Use') and o.endswith('GC') for o in options):
        jvm = [o for o in JTORRENT_SEED_JVM if o != '-XX:+UseSerialGC']  # the JVM refuses two collectors
    else:
        jvm = JTORRENT_SEED_JVM
    return [os.path.join(jdk, 'bin', 'java')] + jvm + options + ['-cp', jar + os.pathsep + classes, 'ManySeeds']


class Seeder:
    def __init__(self, client, torrents, listing, ip):
        self.client, self.torrents, self.listing, self.ip = client, torrents, listing, ip
        self.name = '%s, %d torrent%s' % (client, torrents, '' if torrents == 1 else 's')
        self.proc = self.port = None
        self.setup = self.idle_cpu = self.rss = self.peak = float('nan')
        self.threads = 0
        self.runs = {}  # leecher -> [Run], one a round

    def start(self, procs, command, run_dir, mode, timeout):
        self.port = free_port(self.ip)
        log_path = os.path.join(run_dir, 'seeder-%s-%d.log' % (self.client, self.torrents))
        argv = command + [self.listing, self.ip, str(self.port), mode]
        self.proc = procs.start(argv, log_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            many.read_line(self.proc, 'parsed', timeout)
            self.setup = float(many.read_line(self.proc, 'seeding', timeout).split()[3])
        except RuntimeError:
            with open(log_path, errors='replace') as f:
                log('%s log:\n%s' % (self.name, f.read()[-2000:].strip()))
            raise
        log('%s: seeding on %s:%d (pid %d), every torrent started in %.2f s'
            % (self.name, self.ip, self.port, self.proc.pid, self.setup))


class Run:
    def __init__(self):
        self.seconds = self.wall = self.seeder_cpu = self.leecher_cpu = float('nan')
        self.result = 'BAD'


def libtorrent_leecher(torrent, size, seeder, dl):
    """The leecher's command, and how to read its result: (seconds, ok) from its output and its directory."""
    argv = ['/usr/bin/python3', '-c', LIBTORRENT_LEECHER, torrent, dl, LEECHER_IP, str(free_port(LEECHER_IP)),
            seeder.ip, str(seeder.port)]

    def outcome(output, wall):
        words = output.split()
        got = os.path.join(dl, lt.torrent_info(torrent).files().file_path(0))
        ok = (len(words) == 3 and words[0] == 'finished' and os.path.isfile(got) and os.path.getsize(got) == size)
        return (float(words[1]) if ok else float('nan')), ok
    return argv, outcome


def sink_leecher(torrent, size, seeder, dl):
    """download.py's sink: it exits once every block arrived, so its time is its process's, start-up included
    (an interpreter without libtorrent: a few tens of milliseconds)."""
    info = lt.torrent_info(torrent)
    argv = ['/usr/bin/python3', '-c', download_bench.SINK_PEER, seeder.ip, str(seeder.port), LEECHER_IP,
            str(info.info_hashes().v1), str(info.total_size()), str(info.piece_length()),
            str(download_bench.SINK_DEPTH)]
    return argv, lambda output, wall: (wall, True)


LEECHERS = {'libtorrent': libtorrent_leecher, 'sink': sink_leecher}


def download(procs, leecher, seeder, torrent, size, run_dir, timeout):
    """One leecher process fetching the big torrent from `seeder`; returns its Run."""
    run = Run()
    dl = tempfile.mkdtemp(prefix='leech-', dir=run_dir)
    argv, outcome = LEECHERS[leecher](torrent, size, seeder, dl)
    seeder_before = many.cpu_seconds(seeder.proc.pid)
    start = time.monotonic()
    proc = procs.start(argv, os.path.join(run_dir, 'leecher.log'), stdout=subprocess.PIPE)
    ended = wait_for(proc.pid, timeout)
    run.wall = time.monotonic() - start
    run.seeder_cpu = many.cpu_seconds(seeder.proc.pid) - seeder_before
    if ended:
        status, usage = ended
        procs.reaped(proc, status)
        run.leecher_cpu = usage.ru_utime + usage.ru_stime
        output = proc.stdout.read().decode(errors='replace')
        seconds, ok = outcome(output, run.wall)
        if proc.returncode == 0 and ok:
            run.seconds, run.result = seconds, 'OK'
        else:
            log('%s from %s exited with %s, saying %r (see leecher.log)'
                % (leecher, seeder.name, proc.returncode, output.strip()))
    else:
        procs.stop(proc, grace=0.0)
        run.result = 'TIMEOUT'
    proc.stdout.close()
    shutil.rmtree(dl, ignore_errors=True)
    return run


def median(values):
    return statistics.median(values) if values else float('nan')


def summary(runs, size_mib):
    ok = [r for r in runs if r.result == 'OK']
    counts = {}
    for r in runs:
        counts[r.result] = counts.get(r.result, 0) + 1
    seconds = median([r.seconds for r in ok])
    return {
        'seconds': seconds, 'speed': size_mib / seconds if ok else float('nan'),
        'spread': (min(size_mib / r.seconds for r in ok), max(size_mib / r.seconds for r in ok)) if ok else None,
        'seeder_gib': median([r.seeder_cpu / (size_mib / 1024) for r in ok]),
        'seeder_core': median([r.seeder_cpu / r.wall for r in ok]),
        'leecher_core': median([r.leecher_cpu / r.wall for r in ok]),
        'result': ', '.join('%s %d/%d' % (k, v, len(runs)) for k, v in sorted(counts.items())),
    }


def paired(runs, others):
    """Speed ratios of two seeders round by round (each round's two downloads ran a few seconds apart, so a change
    in the machine's load weighs on both): their median, lowest and highest."""
    ratios = [other.seconds / run.seconds for run, other in zip(runs, others)
              if run.result == 'OK' and other.result == 'OK']
    return (median(ratios), min(ratios), max(ratios)) if ratios else None


def fmt(value, digits):
    return '-' if value != value else '%.*f' % (digits, value)


def report(seeders, leechers, args):
    print()
    print('%d MiB in %d KiB pieces (the big torrent), from a seeder of it and %d torrents of %d KiB and from a '
          'seeder of it alone, every seeder up at once; one leecher at a time on loopback (libtorrent %s); median '
          'of %d rounds after %d warm-up%s; data %s' % (
              args.size_mib, args.piece_kib, args.torrents, args.small_kib, lt.__version__, args.rounds,
              args.warmup, '' if args.warmup == 1 else 's', 'checked' if args.check_data else 'trusted'))
    print()
    print('| leecher | seeder | MiB/s | (min-max) | seconds | seeder CPU s/GiB | seeder core | leecher core '
          '| result |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---|')
    rows = {}
    for leecher in leechers:
        for seeder in seeders:
            row = rows[leecher, seeder.name] = summary(seeder.runs[leecher], args.size_mib)
            print('| %s | %s | %s | %s | %s | %s | %s%% | %s%% | %s |' % (
                leecher, seeder.name, fmt(row['speed'], 1),
                '%.0f-%.0f' % row['spread'] if row['spread'] else '-', fmt(row['seconds'], 3),
                fmt(row['seeder_gib'], 2), fmt(100 * row['seeder_core'], 0), fmt(100 * row['leecher_core'], 0),
                row['result']))
    print()
    print('| seeder | start s | idle CPU (%g s) | RSS MiB | peak RSS MiB | threads |' % args.idle)
    print('|---|---:|---:|---:|---:|---:|')
    for seeder in seeders:
        print('| %s | %s | %s%% | %s | %s | %d |' % (
            seeder.name, fmt(seeder.setup, 2), fmt(100 * seeder.idle_cpu, 2), fmt(seeder.rss, 0),
            fmt(seeder.peak, 0), seeder.threads))
    # The comparisons: each client's N+1 seeder against its 1 seeder (the target: 1.00x), then jtorrent against
    # libtorrent with as many torrents.
    by_key = {(s.client, s.torrents): s for s in seeders}
    loaded = args.torrents + 1
    pairs = [((client, loaded), (client, 1)) for client in ('jtorrent', 'libtorrent')]
    pairs += [(('jtorrent', count), ('libtorrent', count)) for count in (loaded, 1)]
    pairs = [(by_key[a], by_key[b]) for a, b in pairs if a in by_key and b in by_key]
    if not pairs:
        return
    print()
    print("| leecher | speed of | over | median of the rounds' ratios | (min-max) | ratio of the medians "
          "| seeder CPU per GiB, ratio |")
    print('|---|---|---|---:|---:|---:|---:|')
    for leecher in leechers:
        for a, b in pairs:
            pair = paired(a.runs[leecher], b.runs[leecher])
            row_a, row_b = rows[leecher, a.name], rows[leecher, b.name]
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                leecher, a.name, b.name, '%.2fx' % pair[0] if pair else '-',
                '%.2f-%.2f' % pair[1:] if pair else '-', quotient(row_a['speed'], row_b['speed']),
                quotient(row_a['seeder_gib'], row_b['seeder_gib'])))


def quotient(a, b):
    return '%.2fx' % (a / b) if a == a and b == b and b else '-'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--torrents', type=int, default=1000, help='small torrents beside the big one (default 1000)')
    parser.add_argument('--small-kib', type=int, default=1024, help='size of each small torrent (default 1024)')
    parser.add_argument('--size-mib', type=int, default=256, help='size of the big torrent (default 256)')
    parser.add_argument('--piece-kib', type=int, default=1024, help="the big torrent's pieces (default 1024)")
    parser.add_argument('--rounds', type=int, default=5, help='downloads counted from each seeder by each '
                                                            'leecher (default 5)')
    parser.add_argument('--warmup', type=int, default=5, help='downloads from each seeder by the first leecher '
                                                              'before the rounds, not counted (default 5)')
    parser.add_argument('--seeders', default='jtorrent,libtorrent', help='clients that seed, comma-separated '
                                                                         '(default %(default)s)')
    parser.add_argument('--leechers', default='sink,libtorrent', help="who downloads: sink, download.py's "
                                                                      'measuring stick, and libtorrent (default '
                                                                      '%(default)s)')
    parser.add_argument('--check-data', action='store_true', help='seeders check their data before seeding, '
                                                                  'instead of trusting it')
    parser.add_argument('--big-first', action='store_true', help='add the big torrent before the small ones, '
                                                                 'not after them')
    parser.add_argument('--idle', type=float, default=3, help='seconds the idle seeders are measured (default 3)')
    parser.add_argument('--timeout', type=float, default=120, help='seconds a seeder may take to start, or a '
                                                                   'download to finish (default 120)')
    parser.add_argument('--work', default='/tmp/jtorrent-bench', help='cache and scratch directory')
    args = parser.parse_args()
    clients = [name.strip() for name in args.seeders.split(',') if name.strip()]
    if not clients or any(name not in ('jtorrent', 'libtorrent') for name in clients) or len(set(clients)) < len(
            clients):
        parser.error('--seeders takes jtorrent and libtorrent, each once')
    leechers = [name.strip() for name in args.leechers.split(',') if name.strip()]
    if not leechers or any(name not in LEECHERS for name in leechers) or len(set(leechers)) < len(leechers):
        parser.error('--leechers takes %s, each once' % ' and '.join(LEECHERS))
    if (args.torrents <= 0 or args.small_kib <= 0 or args.size_mib <= 0 or args.rounds <= 0 or args.warmup < 0
            or args.piece_kib < 16 or args.piece_kib & (args.piece_kib - 1)):
        parser.error('--torrents, --small-kib, --size-mib and --rounds must be positive, --warmup not negative, '
                     '--piece-kib a power of two >= 16')

    os.makedirs(args.work, exist_ok=True)
    work = os.path.abspath(args.work)
    signal.signal(signal.SIGINT, _on_sigterm)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    procs = Processes()
    run_dir = tempfile.mkdtemp(prefix='seeds-', dir=work)
    try:
        commands = {'libtorrent': ['/usr/bin/python3', '-c', LIBTORRENT_SEEDER]}
        if 'jtorrent' in clients:
            commands['jtorrent'] = jtorrent_seeder_command(run_dir)
        big_data, _, big_torrent = content(work, args.size_mib, args.piece_kib)
        small_dir, small_torrents = small_content(work, args.torrents, args.small_kib)
        # The big torrent comes last by default: behind every other torrent in whatever the session keeps in
        # order of adding.
        big = [(big_torrent, os.path.dirname(big_data))]
        small = [(torrent, small_dir) for torrent in small_torrents]
        listings = {}
        for count, entries in ((args.torrents + 1, big + small if args.big_first else small + big), (1, big)):
            listings[count] = os.path.join(run_dir, 'seed-%d.txt' % count)
            with open(listings[count], 'w') as f:
                f.writelines('%s\t%s\n' % entry for entry in entries)
        seeders = []
        for client in clients:
            for count in (args.torrents + 1, 1):
                ip = '127.0.0.%d' % (FIRST_SEEDER_HOST + len(seeders))
                seeders.append(Seeder(client, count, listings[count], ip))
        mode = 'check' if args.check_data else 'trust'
        for seeder in seeders:
            seeder.start(procs, commands[seeder.client], run_dir, mode, args.timeout)

        time.sleep(1)  # the starts' last work (a collection, libtorrent's first alerts) out of the idle figures
        before = {s.name: many.cpu_seconds(s.proc.pid) for s in seeders}
        start = time.monotonic()
        time.sleep(args.idle)
        wall = time.monotonic() - start
        for seeder in seeders:
            seeder.idle_cpu = (many.cpu_seconds(seeder.proc.pid) - before[seeder.name]) / wall

        size = args.size_mib << 20
        for number in range(1, args.warmup + 1):
            for seeder in seeders:
                run = download(procs, leechers[0], seeder, big_torrent, size, run_dir, args.timeout)
                log('%s from %s, warm-up %d/%d: %s s, %s MiB/s, %s' % (
                    leechers[0], seeder.name, number, args.warmup, fmt(run.seconds, 3),
                    fmt(args.size_mib / run.seconds, 1), run.result))
                time.sleep(1)  # the seeder drops the finished connection before the next leecher comes
        for number in range(1, args.rounds + 1):
            # Every other round in the reverse order, so that no seeder always comes first after the other.
            order = seeders if number % 2 else seeders[::-1]
            for leecher in leechers:
                for seeder in order:
                    run = download(procs, leecher, seeder, big_torrent, size, run_dir, args.timeout)
                    seeder.runs.setdefault(leecher, []).append(run)
                    log('%s from %s, round %d/%d: %s s, %s MiB/s, seeder %.2f CPU s, leecher %.2f CPU s, %s' % (
                        leecher, seeder.name, number, args.rounds, fmt(run.seconds, 3),
                        fmt(args.size_mib / run.seconds, 1), run.seeder_cpu, run.leecher_cpu, run.result))
                    time.sleep(1)
        for seeder in seeders:
            seeder.peak, seeder.rss, seeder.threads = many.proc_status(seeder.proc.pid)
        report(seeders, leechers, args)
        for seeder in seeders:  # a clean stop: each session closes and its process exits
            seeder.proc.stdin.close()
            ended = wait_for(seeder.proc.pid, 30)
            if ended:
                procs.reaped(seeder.proc, ended[0])
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
