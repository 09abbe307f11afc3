# Adds the torrent argv[1] to a libtorrent session with save_path argv[2], lets libtorrent check the data there
# (no seed_mode, so every piece is hashed), and prints the outcome as one JSON object.
# The session talks to nobody: DHT, local discovery, UPnP and NAT-PMP are off and it listens on loopback only.
import json
import sys
import time

import libtorrent as lt

torrent, save_path, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
ses = lt.session({
    'listen_interfaces': '127.0.0.1:0',
    'outgoing_interfaces': '127.0.0.1',
    'enable_dht': False,
    'enable_lsd': False,
    'enable_upnp': False,
    'enable_natpmp': False,
    'alert_mask': lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
        | lt.alert.category_t.storage_notification,
})
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
handle = ses.add_torrent(params)

deadline = time.monotonic() + timeout
checked, errors = False, []
while not checked and time.monotonic() < deadline:
    time.sleep(0.05)  # polls, never wait_for_alert(): see libtorrent-peer.py
    for alert in ses.pop_alerts():
        if isinstance(alert, lt.torrent_checked_alert):
            checked = True
        elif alert.category() & lt.alert.category_t.error_notification:
            errors.append(alert.message())

checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
status = handle.status()
while status.state in checking and time.monotonic() < deadline:
    time.sleep(0.05)
    status = handle.status()

print(json.dumps({
    'checked': checked,
    'state': str(status.state),
    'isSeeding': status.is_seeding,
    'progress': status.progress,
    'piecesHave': status.num_pieces,
    'pieceCount': params.ti.num_pieces(),
    'errors': errors,
}))
