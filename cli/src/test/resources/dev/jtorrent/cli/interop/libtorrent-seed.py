# Seeds the torrent argv[1] from the data under save_path argv[2], listening on argv[3]:argv[4] and announcing from
# that address, until it is killed or the process that started it exits. Prints every alert as a line of its log, and
# the line "seeding" once libtorrent holds all pieces. seed_mode skips the full check on start and verifies each piece
# on its first request instead; DHT, local discovery, UPnP, NAT-PMP and uTP are off, so the tracker is its only way to
# be found, over TCP. An optional argv[5] limits the upload to that many bytes a second, loopback included; while
# it uploads, it prints "uploaded N" (payload bytes so far) every half second.
import os
import sys
import time

import libtorrent as lt

torrent, save_path, ip, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
upload_limit = int(sys.argv[5]) if len(sys.argv) > 5 else 0
settings = lt.high_performance_seed()
settings.update({
    'listen_interfaces': '%s:%d' % (ip, port),
    'outgoing_interfaces': ip,
    'enable_dht': False,
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'enable_outgoing_utp': False,
    'enable_incoming_utp': False,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.tracker_notification | lt.alert.category_t.connect_notification
        | lt.alert.category_t.peer_notification,
})
if upload_limit > 0:
    settings.update({'upload_rate_limit': upload_limit, 'ignore_limits_on_local_network': False})
ses = lt.session(settings)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
params.flags |= lt.torrent_flags.seed_mode
handle = ses.add_torrent(params)

start, said_seeding, parent, uploaded = time.monotonic(), False, os.getppid(), 0
while os.getppid() == parent:  # the test JVM that started it is gone: no orphan seeder left behind
    time.sleep(0.1)  # polls, never wait_for_alert(): see libtorrent-leech.py
    for alert in ses.pop_alerts():
        print('%8.3f %s: %s' % (time.monotonic() - start, type(alert).__name__, alert.message()), flush=True)
    if not said_seeding and handle.status().is_seeding:
        print('seeding', flush=True)
        said_seeding = True
    total = handle.status().total_payload_upload
    if total != uploaded:
        print('uploaded %d' % total, flush=True)
        uploaded = total
