/**
 * What the torrents of one session share: connections, connection attempts, memory and rates. A session makes one
 * {@link dev.jtorrent.budget.SessionBudgets} and hands it to each swarm; a swarm takes from it and gives back.
 * Depends on nothing else of jtorrent.
 */
package dev.jtorrent.budget;
