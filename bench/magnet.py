#!/usr/bin/python3
"""Magnet link to complete download through a loopback DHT, jtorrent against libtorrent.

    bench/magnet.py [--size 256MiB] [--piece-kib 256] [--rounds 5] [--clients jtorrent,libtorrent] [--nodes 5]
                    [--announce-every 5] [--timeout 300] [--work /tmp/jtorrent-bench] [--keep-logs] [--verbose]

Needs /usr/bin/python3 with python3-libtorrent (2.0.8 here); no tracker. Every download gets a swarm of its own,
started afresh for it and stopped after it: --nodes libtorrent DHT nodes, each on its own /24 (127.0.(41+i).1, so
that libtorrent's one-node-per-/24 rules stay at their defaults and still pass; each node is told every earlier
one with add_dht_node, and the swarm waits until every routing table is full), and a libtorrent seeder on
127.0.40.1, told node 0 with add_dht_node, that checks its data, is announced on the DHT and calls
force_dht_announce every --announce-every seconds. The swarm is ready once a DHT node has taken the seeder's
announce_peer. Then the leecher starts, with nothing but 'magnet:?xt=urn:btih:HEX' (no tr=, no x.pe) and node 1 to
bootstrap from:

  jtorrent    ./jtorrent download MAGNET --bind 127.0.50.1 --dht-bootstrap NODE1 --no-lsd and a fresh
              --resume-dir (so no routing table from an earlier run); --verbose adds its peer log to its log;
  libtorrent  a libtorrent session on 127.0.51.1 told NODE1 with add_dht_node (a node, where --dht-bootstrap is a
              router: libtorrent's dht_bootstrap_nodes), TCP only and plaintext as in download.py.

The clients alternate within a round, the first one of the round swapping every round, and each round's
downloads run one after the other. Each client's times run from starting its process (client start-up included:
a JVM's for jtorrent, an interpreter's and libtorrent's import for libtorrent):
  first DHT packet  the first DHT message from the leecher's address to reach any node (dht_pkt_alert on every
              node): its DHT node has started and bootstraps;
  first get_peers   the first get_peers of the torrent's info hash from the leecher's address to reach a node: its
              lookup has started;
  first peer  the seeder's first connection with the leecher (either way: the leecher dialled what the DHT gave it,
              or the seeder what its own lookups did), seen by the seeder (its peer_connect_alert or
              incoming_connection_alert, polled every 5 ms), the same measure for both clients;
  metadata    libtorrent's metadata_received_alert; for jtorrent, the modification time of the metadata file it
              writes into its resume directory (<info hash>.torrent) once the info dictionary is in and verified,
              before it checks and starts the torrent (jtorrent prints nothing at that moment);
  complete    the process exiting after its download (both exit once every piece is verified);
  metadata to complete  the difference, round by round: the download proper, without start-up and DHT;
  CPU s       the leecher's user + system seconds (wait4 rusage, its children included), start-up included;
and, for libtorrent alone, when its session had the magnet (its start-up) and when the DHT first gave it peers
(dht_reply_alert): jtorrent tells neither. A download is OK when the process exited 0 and the file has the
content's SHA-1 (bit-exact). The table gives the median of the OK rounds, the slowest and fastest, and the last
line the jtorrent/libtorrent ratio of the medians. The swarm's and the leechers' events share one clock
(CLOCK_MONOTONIC; jtorrent's file time is the wall clock, taken at its start too). Everything the bench started is
stopped by its pid, and the download and resume directories are removed (--keep-logs keeps the logs and resume
directories, not the downloaded data), on Ctrl-C too.
"""
import argparse
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import libtorrent as lt

from download import ROOT, Interrupted, Processes, _on_sigterm, content, log, sha1_of, wait_for

SEEDER_IP = '127.0.40.1'
NODE_IP = '127.0.%d.1'  # node i on 127.0.(41 + i).1
FIRST_NODE_NET = 41
LEECHER_IP = {'jtorrent': '127.0.50.1', 'libtorrent': '127.0.51.1'}
BOOT_NODE = 1  # the leechers' one DHT node; the seeder's is node 0

# libtorrent settings every session of the bench shares: an explicit address (with a device name the socket is
# marked local and its DHT never answers), no public routers, TCP only and plaintext (as download.py).
COMMON = r'''
import json, os, select, sys, time
import libtorrent as lt
def settings(ip, port, mask):
    return {'listen_interfaces': '%s:%d' % (ip, port), 'outgoing_interfaces': ip,
            'enable_dht': True, 'dht_bootstrap_nodes': '', 'enable_lsd': False, 'enable_upnp': False,
            'enable_natpmp': False, 'enable_outgoing_utp': False, 'enable_incoming_utp': False,
            'out_enc_policy': lt.enc_policy.disabled, 'in_enc_policy': lt.enc_policy.disabled, 'alert_mask': mask}
def live_nodes(ses):
    ses.post_dht_stats()
    for _ in range(100):
        for alert in ses.pop_alerts():
            if isinstance(alert, lt.dht_stats_alert):
                return sum(bucket['num_nodes'] for bucket in alert.routing_table)
        time.sleep(0.01)
    return -1
'''

# The DHT nodes and the seeder, in one interpreter of their own. Prints one line 'ready {json}' once the swarm can
# be found, and runs until its standard input closes or its parent goes away.
SWARM = COMMON + r'''
torrent, data_dir, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
parent = os.getppid()
t0 = time.monotonic()
dht = lt.alert.category_t.dht_notification | lt.alert.category_t.error_notification
nodes = []
for i, (ip, port) in enumerate(spec['nodes']):
    ses = lt.session(settings(ip, port, dht | lt.alert.category_t.dht_log_notification))
    for earlier in spec['nodes'][:i]:
        ses.add_dht_node(tuple(earlier))
    nodes.append(ses)
goal = min(len(nodes) - 1, 8)
while time.monotonic() - t0 < 60:
    counts = [live_nodes(n) for n in nodes]
    if min(counts) >= goal:
        break
    time.sleep(0.1)
else:
    sys.exit('the DHT did not converge: routing tables %s' % counts)
t_dht = time.monotonic()
ip, port = spec['seeder']
seeder = lt.session(dict(lt.high_performance_seed(), **settings(ip, port, dht | lt.alert.category_t.status_notification
                                                                   | lt.alert.category_t.connect_notification)))
seeder.add_dht_node(tuple(spec['nodes'][spec['seeder_node']]))
while live_nodes(seeder) < 1:
    if time.monotonic() - t0 > 60:
        sys.exit('the seeder found no DHT node')
    time.sleep(0.05)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = data_dir
handle = seeder.add_torrent(params)  # checks its data first (not seed_mode): no hashing while it serves
info_hash = str(params.ti.info_hashes().v1)
announced_at = None
last_force = 0.0
while os.getppid() == parent:
    if select.select([0], [], [], 0)[0] and not os.read(0, 4096):
        break
    now = time.monotonic()
    seeding = handle.status().is_seeding
    if seeding and now - last_force >= spec['announce_every']:
        handle.force_dht_announce()
        last_force = now
    for ses in nodes:
        for alert in ses.pop_alerts():
            if isinstance(alert, lt.dht_pkt_alert) and announced_at is not None:
                # 'dht IP MONOTONIC': a packet from IP reached a node; 'lookup IP MONOTONIC': a get_peers of the
                # torrent from IP did (the first of each per IP is what the bench takes)
                message = alert.message()
                if message.startswith('<== ['):
                    sender = message[5:message.index(':', 5)]
                    print('dht %s %.6f' % (sender, time.monotonic()), flush=True)
                    if "'q': 'get_peers'" in message and info_hash in message:
                        print('lookup %s %.6f' % (sender, time.monotonic()), flush=True)
            elif isinstance(alert, lt.dht_announce_alert) and str(alert.info_hash) == info_hash \
                    and alert.ip == ip and announced_at is None:
                announced_at = now
                print('ready ' + json.dumps({'dht': round(t_dht - t0, 2), 'announced': round(now - t0, 2),
                                              'tables': [live_nodes(n) for n in nodes]}), flush=True)
    for alert in seeder.pop_alerts():
        if isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
            print(alert.message(), file=sys.stderr, flush=True)
        elif isinstance(alert, (lt.peer_connect_alert, lt.incoming_connection_alert)) and announced_at is not None:
            # a connection with a peer, either way: 'peer IP MONOTONIC', read by the bench after the download
            address = alert.ip[0] if isinstance(alert.ip, tuple) else str(alert.ip)
            print('peer %s %.6f' % (address, time.monotonic()), flush=True)
    time.sleep(0.005)
'''

# The libtorrent leecher: prints 'EVENT MONOTONIC' lines and exits 0 once the download is complete.
LT_LEECHER = COMMON + r'''
print('start %.6f' % time.monotonic(), flush=True)
magnet, save_path, ip, port, node_ip, node_port = sys.argv[1:7]
parent = os.getppid()
ses = lt.session(settings(ip, int(port), lt.alert.category_t.dht_notification | lt.alert.category_t.status_notification
                          | lt.alert.category_t.error_notification))
ses.add_dht_node((node_ip, int(node_port)))
params = lt.parse_magnet_uri(magnet)
params.save_path = save_path
handle = ses.add_torrent(params)
print('added %.6f' % time.monotonic(), flush=True)
seen = set()
def mark(event):
    if event not in seen:
        seen.add(event)
        print('%s %.6f' % (event, time.monotonic()), flush=True)
while os.getppid() == parent:
    for alert in ses.pop_alerts():
        if isinstance(alert, lt.dht_reply_alert) and alert.num_peers > 0:
            mark('dht-peers')
        elif isinstance(alert, lt.metadata_received_alert):
            mark('metadata')
        elif isinstance(alert, lt.torrent_finished_alert):
            mark('finished')
        elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert, lt.metadata_failed_alert)):
            print(alert.message(), file=sys.stderr, flush=True)
    if 'finished' in seen or handle.status().is_seeding:
        mark('finished')
        sys.exit(0)
    # Not session.wait_for_alert(): the binding segfaults now and then (download.py).
    time.sleep(0.01)
sys.exit(1)
'''


def free_port(ip):
    """A port free at `ip` for both TCP and UDP (the clients' DHT listens on their peer port)."""
    for _ in range(200):
        port = 20000 + int.from_bytes(os.urandom(2), 'big') % 40000
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t, \
                    socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                t.bind((ip, port))
                u.bind((ip, port))
            return port
        except OSError:
            continue
    raise RuntimeError('no free port on ' + ip)


def parse_size(text):
    match = re.fullmatch(r'\s*(\d+)\s*(MiB|GiB|M|G)?\s*', text, re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError('a size such as 256MiB or 1GiB')
    return int(match.group(1)) * (1024 if (match.group(2) or 'M').upper().startswith('G') else 1)


class Run:
    def __init__(self, client):
        self.client = client
        self.dht = self.lookup = self.peer = self.metadata = self.complete = float('nan')
        self.added = self.dht_peers = self.cpu = float('nan')

    @property
    def transfer(self):
        """From the metadata to the process's exit: the download proper, the check of the empty directory and the
        client's exit; no start-up, no DHT."""
        return self.complete - self.metadata
        self.result = 'BAD'
        self.swarm = {}


def start_swarm(procs, aux, torrent, data_dir, nodes, announce_every):
    spec = {'nodes': [[NODE_IP % (FIRST_NODE_NET + i), 0] for i in range(nodes)],
            'seeder': [SEEDER_IP, free_port(SEEDER_IP)], 'seeder_node': 0, 'announce_every': announce_every}
    for node in spec['nodes']:
        node[1] = free_port(node[0])
    proc = procs.start(['/usr/bin/python3', '-c', SWARM, torrent, data_dir, json.dumps(spec)],
                       os.path.join(aux, 'swarm.log'), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if line.startswith(b'ready '):
            proc.info = json.loads(line[6:])
            return proc, spec
        if not line:
            break
    raise RuntimeError('the swarm did not get ready; see %s/swarm.log' % aux)


def swarm_events(swarm):
    """What the swarm saw since it was ready: {(event, ip): first monotonic time}, the events being 'peer' (a
    connection with the seeder), 'dht' (a DHT packet to a node) and 'lookup' (a get_peers of the torrent)."""
    events, buffered = {}, b''
    while select.select([swarm.stdout], [], [], 0)[0]:
        chunk = os.read(swarm.stdout.fileno(), 65536)
        if not chunk:
            break
        buffered += chunk
    for line in buffered.decode(errors='replace').splitlines():
        words = line.split()
        if len(words) == 3:
            events.setdefault((words[0], words[1]), float(words[2]))
    return events


def run_leecher(procs, client, magnet, info_hash, dl, aux, node, timeout, run, verbose):
    """Runs one download and returns the monotonic time its process was started."""
    ip = LEECHER_IP[client]
    port = free_port(ip)
    log_path = os.path.join(aux, 'log')
    if client == 'jtorrent':
        argv = [os.path.join(ROOT, 'jtorrent'), 'download', magnet, '-d', dl, '--bind', ip, '--port', str(port),
                '--dht-bootstrap', '%s:%d' % tuple(node), '--no-lsd', '--resume-dir', os.path.join(aux, 'resume')]
        if verbose:
            argv.append('--verbose')
        kwargs = {'cwd': ROOT}
    else:
        argv = ['/usr/bin/python3', '-c', LT_LEECHER, magnet, dl, ip, str(port), node[0], str(node[1])]
        kwargs = {'cwd': aux, 'stdout': subprocess.PIPE}
    start_wall, start = time.time(), time.monotonic()
    proc = procs.start(argv, log_path, **kwargs)
    result = wait_for(proc.pid, timeout) if client == 'jtorrent' else None
    if client == 'libtorrent':
        events, deadline = {}, start + timeout
        buffered = b''
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffered += chunk
            while b'\n' in buffered:
                line, buffered = buffered.split(b'\n', 1)
                words = line.decode().split()
                if len(words) == 2:
                    events.setdefault(words[0], float(words[1]) - start)
        result = wait_for(proc.pid, max(0.0, deadline - time.monotonic()))
        run.added, run.dht_peers = events.get('added', run.added), events.get('dht-peers', run.dht_peers)
        run.metadata = events.get('metadata', run.metadata)
    run.complete = time.monotonic() - start
    if result:
        procs.reaped(proc, result[0])
        run.cpu = result[1].ru_utime + result[1].ru_stime
        run.result = 'OK' if proc.returncode == 0 else 'BAD'
        if proc.returncode != 0:
            log('%s exited with %s' % (client, proc.returncode))
    else:
        procs.stop(proc, grace=0.0)
        run.result = 'TIMEOUT'
    if client == 'jtorrent':
        # Written once the metadata is in and hashes to the info hash, before the torrent is checked and started.
        saved = os.path.join(aux, 'resume', info_hash + '.torrent')
        if os.path.isfile(saved):
            run.metadata = os.stat(saved).st_mtime_ns / 1e9 - start_wall
    return start


def fmt(value, digits=2):
    return '-' if value != value else '%.*f' % (digits, value)


def stats(values):
    values = [v for v in values if v == v]
    if not values:
        return float('nan'), float('nan'), float('nan')
    return statistics.median(values), min(values), max(values)


KEYS = (('dht', 'first DHT packet'), ('lookup', 'first get_peers'), ('peer', 'first peer'),
        ('metadata', 'metadata'), ('complete', 'complete'), ('transfer', 'metadata to complete'))


def report(runs, clients, args):
    print()
    print('%d MiB in %d KiB pieces, magnet link only, a loopback DHT of %d libtorrent nodes and one libtorrent seeder,'
          ' a fresh swarm for each download; seconds from starting the client, median of the OK rounds (min-max)'
          % (args.size, args.piece_kib, args.nodes))
    print()
    print('| client | ' + ' | '.join(label for _, label in KEYS) + ' | MiB/s | CPU s | result |')
    print('|---|' + '---:|' * (len(KEYS) + 2) + '---|')
    medians = {}
    cell = lambda s: '-' if s[0] != s[0] else '%s (%s-%s)' % (fmt(s[0]), fmt(s[1]), fmt(s[2]))
    for client in clients:
        ok = [r for r in runs[client] if r.result == 'OK']
        row = {key: stats([getattr(r, key) for r in ok]) for key, _ in KEYS}
        medians[client] = row
        counts = {}
        for r in runs[client]:
            counts[r.result] = counts.get(r.result, 0) + 1
        result = ', '.join('%s %d/%d' % (k, v, len(runs[client])) for k, v in sorted(counts.items()))
        print('| %s | %s | %s | %s | %s |' % (client, ' | '.join(cell(row[key]) for key, _ in KEYS),
                                             fmt(args.size / row['complete'][0], 1),
                                             fmt(stats([r.cpu for r in ok])[0]), result))
    lt_runs = [r for r in runs.get('libtorrent', []) if r.result == 'OK']
    if lt_runs:
        added, dht_peers = stats([r.added for r in lt_runs]), stats([r.dht_peers for r in lt_runs])
        print('\nlibtorrent had the magnet in its session after %s s and the first peers from the DHT after %s s'
              ' (medians)' % (fmt(added[0]), fmt(dht_peers[0])))
    if 'jtorrent' in medians and 'libtorrent' in medians:
        parts = []
        cpu = {c: stats([r.cpu for r in runs[c] if r.result == 'OK'])[0] for c in ('jtorrent', 'libtorrent')}
        for key, label in KEYS + (('cpu', 'CPU'),):
            mine, theirs = (cpu[c] if key == 'cpu' else medians[c][key][0] for c in ('jtorrent', 'libtorrent'))
            if mine == mine and theirs == theirs and theirs > 0:
                parts.append('%s %.2fx' % (label, mine / theirs))
        print('\njtorrent/libtorrent, ratio of the medians: ' + (', '.join(parts) if parts else '-'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', type=parse_size, default=256,
                        help='content size, e.g. 256MiB or 1GiB (default 256MiB)')
    parser.add_argument('--piece-kib', type=int, default=256, help='piece size (default 256)')
    parser.add_argument('--rounds', type=int, default=5, help='downloads of each client (default 5)')
    parser.add_argument('--clients', default='jtorrent,libtorrent', help='comma-separated (default %(default)s)')
    parser.add_argument('--nodes', type=int, default=5, help='libtorrent DHT nodes (default 5, at least 2)')
    parser.add_argument('--announce-every', type=float, default=5,
                        help="seconds between the seeder's force_dht_announce calls (default 5)")
    parser.add_argument('--timeout', type=float, default=300, help='seconds before a leecher is killed (default 300)')
    parser.add_argument('--work', default='/tmp/jtorrent-bench', help='cache and scratch directory')
    parser.add_argument('--keep-logs', action='store_true', help="keep every round's logs in the work directory")
    parser.add_argument('--verbose', action='store_true', help="jtorrent's peer log (--verbose) in its log")
    args = parser.parse_args()
    clients = [c.strip() for c in args.clients.split(',') if c.strip()]
    if not clients or any(c not in LEECHER_IP for c in clients) or len(set(clients)) != len(clients):
        parser.error('--clients: jtorrent and/or libtorrent')
    if args.size <= 0 or args.rounds <= 0 or args.nodes < 2 or args.nodes > 9 \
            or args.piece_kib < 16 or args.piece_kib & (args.piece_kib - 1):
        parser.error('--size and --rounds must be positive, --nodes 2 to 9, --piece-kib a power of two >= 16')
    if 'jtorrent' in clients:
        log('building jtorrent if needed')
        subprocess.run([os.path.join(ROOT, 'jtorrent'), '--version'], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    os.makedirs(args.work, exist_ok=True)
    work = os.path.abspath(args.work)
    data, sha1, torrent = content(work, args.size, args.piece_kib)
    info = lt.torrent_info(torrent)
    info_hash = str(info.info_hashes().v1)
    magnet = 'magnet:?xt=urn:btih:' + info_hash

    signal.signal(signal.SIGINT, _on_sigterm)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    procs = Processes()
    run_dir = tempfile.mkdtemp(prefix='magnet-', dir=work)
    runs = {c: [] for c in clients}
    try:
        log('%s, %d MiB in %d KiB pieces; logs in %s' % (magnet, args.size, args.piece_kib, run_dir))
        for round_no in range(1, args.rounds + 1):
            order = clients if round_no % 2 else clients[::-1]
            for client in order:
                base = os.path.join(run_dir, '%s-%d' % (client, round_no))
                dl, aux = base + '-download', base + '-aux'
                os.makedirs(dl)
                os.makedirs(aux)
                run = Run(client)
                swarm, spec = start_swarm(procs, aux, torrent, os.path.dirname(data), args.nodes, args.announce_every)
                run.swarm = swarm.info
                started = run_leecher(procs, client, magnet, info_hash, dl, aux, spec['nodes'][BOOT_NODE],
                                      args.timeout, run, args.verbose)
                seen = swarm_events(swarm)
                ip = LEECHER_IP[client]
                run.dht, run.lookup, run.peer = (seen.get((event, ip), float('nan')) - started
                                                 for event in ('dht', 'lookup', 'peer'))
                swarm.stdin.close()
                procs.stop(swarm)
                if run.result == 'OK':
                    got = os.path.join(dl, os.path.basename(data))
                    if not (os.path.isfile(got) and os.path.getsize(got) == os.path.getsize(data)
                            and sha1_of(got) == sha1):
                        run.result = 'BAD'
                        log('%s round %d: the downloaded file is not the content' % (client, round_no))
                if run.result != 'OK':
                    with open(os.path.join(aux, 'log'), errors='replace') as f:
                        tail = f.read()[-3000:].strip()
                    log('%s log:\n%s' % (client, tail))
                runs[client].append(run)
                log('%s round %d/%d: first DHT packet %s s, get_peers %s s, peer %s s, metadata %s s, complete %s s,'
                    ' %s (swarm: DHT full after %s s, seeder announced at %s s, tables %s)' % (
                        client, round_no, args.rounds, fmt(run.dht), fmt(run.lookup), fmt(run.peer),
                        fmt(run.metadata), fmt(run.complete), run.result, run.swarm.get('dht'),
                        run.swarm.get('announced'), run.swarm.get('tables')))
                shutil.rmtree(dl, ignore_errors=True)
                if not args.keep_logs:
                    shutil.rmtree(aux, ignore_errors=True)
        report(runs, clients, args)
    except (KeyboardInterrupt, Interrupted):
        log('interrupted; cleaning up')
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        procs.stop_all()
        if not args.keep_logs:
            shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
