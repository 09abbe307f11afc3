# libtorrent 2.0 as a peer of the interop tests, seeding or downloading one torrent:
#   libtorrent-peer.py seed TORRENT SAVE_PATH IP PORT UPLOAD_LIMIT [OPTIONS]
#   libtorrent-peer.py leech TORRENT SAVE_PATH IP PORT TIMEOUT [OPTIONS]
# It listens on IP:PORT and connects and announces from IP (IPv4, or IPv6 such as ::1, without brackets). DHT, local
# discovery, UPnP, NAT-PMP and uTP are off, so peers come from the tracker, over TCP. Every alert is a line of its
# log; it runs until the process that started it exits, so no orphan is left behind, and prints "uploaded N" (payload
# bytes so far) whenever that changes, at most every 50 ms.
# seed: serves the data under SAVE_PATH until killed. seed_mode skips the full check on start and verifies each piece
#   on its first request instead; it prints "seeding" once libtorrent holds all pieces and is no longer paused. An UPLOAD_LIMIT other than 0
#   limits the upload to that many bytes a second, loopback included.
# leech: downloads into SAVE_PATH until libtorrent holds every piece or TIMEOUT seconds have passed, then prints one
#   JSON object and exits: whether it completed, how long it took, and how many 16 KiB blocks came from each peer
#   address.
# OPTIONS, for tests of peer exchange (BEP 11), where peers come from no tracker:
#   --connect IP:PORT     connect_peer to it once the torrent is added (repeatable)
#   --no-pex              torrent_flags.disable_pex: libtorrent neither sends nor takes ut_pex messages for it
#   --download-limit B    at most B payload bytes a second for this torrent, so that a leecher stays one (libtorrent
#                         drops a connection between two seeds, and a seed is no longer listed to other seeds)
#   --report-peers        print "peer {JSON}" once for each peer connected, handshakes done: its ip and port, its
#                         source as libtorrent's peer_info names it ("pex", "tracker"; "incoming/manual" for none of
#                         them), whether libtorrent dialled it, and its encryption ("rc4", "plaintext_encrypted" for
#                         an MSE handshake with a plaintext payload, "none"). Not a line starting with "{", so a
#                         leecher's report stays its last such line.
# OPTIONS for protocol encryption (MSE/PE), both ways: --enc forced|enabled|disabled (in_enc_policy and
#   out_enc_policy; default enabled, libtorrent's) and --enc-level rc4|plaintext|both (allowed_enc_level; default both).
import argparse
import json
import os
import sys
import time

import libtorrent as lt

role, torrent, save_path, ip, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
if role not in ('seed', 'leech'):
    sys.exit('the role is seed or leech, not %s' % role)
options = argparse.ArgumentParser(prog='libtorrent-peer.py %s ... OPTIONS' % role)
options.add_argument('--connect', action='append', default=[], metavar='IP:PORT')
options.add_argument('--no-pex', action='store_true')
options.add_argument('--download-limit', type=int, default=0, metavar='B')
options.add_argument('--report-peers', action='store_true')
options.add_argument('--enc', choices=['forced', 'enabled', 'disabled'], default='enabled')
options.add_argument('--enc-level', choices=['plaintext', 'rc4', 'both'], default='both')
options = options.parse_args(sys.argv[7:])
seeding = role == 'seed'
settings = lt.high_performance_seed() if seeding else {}
settings.update({
    'listen_interfaces': ('[%s]:%d' if ':' in ip else '%s:%d') % (ip, port),  # an IPv6 address in brackets
    'outgoing_interfaces': ip,
    'enable_dht': False,
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'enable_outgoing_utp': False,
    'enable_incoming_utp': False,
    'in_enc_policy': {'forced': 0, 'enabled': 1, 'disabled': 2}[options.enc],
    'out_enc_policy': {'forced': 0, 'enabled': 1, 'disabled': 2}[options.enc],
    'allowed_enc_level': {'plaintext': 1, 'rc4': 2, 'both': 3}[options.enc_level],
    # A seed's peer alerts tell who came and went; a leecher's would only fill the log, its block alerts count.
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.tracker_notification | lt.alert.category_t.connect_notification
        | (lt.alert.category_t.peer_notification if seeding else lt.alert.category_t.block_progress_notification),
})
upload_limit = int(sys.argv[6]) if seeding else 0
if upload_limit > 0:
    settings.update({'upload_rate_limit': upload_limit, 'ignore_limits_on_local_network': False})
ses = lt.session(settings)
# The tracker lists this peer among the others, and libtorrent dials itself before it sees that it has ("connected
# to ourselves"). Every client of these tests has its own address, so no other peer is on ours; but on IPv6 every
# peer shares ::1, and the filter would shut them all out: there libtorrent tells itself apart by its peer id.
if ':' not in ip:
    own_address = lt.ip_filter()
    own_address.add_rule(ip, ip, 1)
    ses.set_ip_filter(own_address)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
if seeding:
    params.flags |= lt.torrent_flags.seed_mode
if options.no_pex:
    params.flags |= lt.torrent_flags.disable_pex
handle = ses.add_torrent(params)
if options.download_limit > 0:
    handle.set_download_limit(options.download_limit)
for peer in options.connect:
    peer_ip, _, peer_port = peer.rpartition(':')
    handle.connect_peer((peer_ip, int(peer_port)))

start, parent = time.monotonic(), os.getppid()
deadline = float('inf') if seeding else start + float(sys.argv[6])
blocks, errors, complete, uploaded = {}, [], False, 0
reported = set()


def handle_alerts():
    for alert in ses.pop_alerts():
        if isinstance(alert, lt.block_finished_alert):
            address = str(alert.ip[0])
            blocks[address] = blocks.get(address, 0) + 1
            continue  # one line per block would drown the rest of the log
        if isinstance(alert, lt.block_downloading_alert):
            continue  # one per block requested: not logged either
        if alert.category() & lt.alert.category_t.error_notification:
            errors.append(alert.message())
        print('%8.3f %s: %s' % (time.monotonic() - start, type(alert).__name__, alert.message()), flush=True)


def report_peers():
    for peer in handle.get_peer_info():
        if peer.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
            continue
        outgoing = bool(peer.flags & lt.peer_info.outgoing_connection)
        key = (peer.ip, outgoing)
        if key in reported:
            continue
        reported.add(key)
        source = [name for name in ('tracker', 'dht', 'pex', 'lsd', 'resume_data')
                  if peer.source & getattr(lt.peer_info, name)]
        encryption = ('rc4' if peer.flags & lt.peer_info.rc4_encrypted
                      else 'plaintext_encrypted' if peer.flags & lt.peer_info.plaintext_encrypted else 'none')
        print('peer ' + json.dumps({'ip': peer.ip[0], 'port': peer.ip[1], 'source': source or ['incoming/manual'],
                                    'outgoing': outgoing, 'encryption': encryption}), flush=True)


while os.getppid() == parent and time.monotonic() < deadline:
    # Polls: the binding's wait_for_alert() reads the alert it returns after releasing the session's lock, and
    # segfaults now and then (docs/architecture.md, Testing).
    time.sleep(0.05)
    handle_alerts()
    if options.report_peers:
        report_peers()
    status = handle.status()
    if status.total_payload_upload != uploaded:
        uploaded = status.total_payload_upload
        print('uploaded %d' % uploaded, flush=True)
    # A torrent added in seed mode reports seeding at once but stays paused for about half a second after its
    # resume-data check, and a paused torrent refuses incoming connections (plaintext and encrypted): "seeding" is
    # printed once it serves, so that a peer dialling at once is not refused and backed off.
    if status.is_seeding and not complete and not status.flags & lt.torrent_flags.paused:
        complete = True
        print('seeding', flush=True)
        if not seeding:
            break

if not seeding:
    elapsed = time.monotonic() - start
    time.sleep(0.2)  # the alerts of the last blocks may trail the status by a moment
    handle_alerts()
    status = handle.status()
    print(json.dumps({
        'complete': complete,
        'seconds': elapsed,
        'progress': status.progress,
        'piecesHave': status.num_pieces,
        'pieceCount': params.ti.num_pieces(),
        'blocksFrom': blocks,
        'errors': errors,
    }), flush=True)
