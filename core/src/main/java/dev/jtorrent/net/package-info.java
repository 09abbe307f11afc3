/**
 * Socket helpers shared by the tracker client and the peer connections.
 */
package dev.jtorrent.net;
