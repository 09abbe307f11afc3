/**
 * uTP, the uTorrent transport protocol (BEP 29): BitTorrent connections over UDP with LEDBAT congestion control.
 * {@link dev.jtorrent.utp.UtpPacket} reads and writes packets; {@link dev.jtorrent.utp.UtpConnection} is one
 * connection without I/O (the time an argument, datagrams out through a sink); {@link dev.jtorrent.utp.UtpEndpoint}
 * holds the connections of one UDP port, fed datagrams by whoever reads it; {@link dev.jtorrent.utp.UtpStream} is a
 * connection as a blocking channel; {@link dev.jtorrent.utp.UtpSocket} is an endpoint on a socket of its own.
 */
package dev.jtorrent.utp;
