/** Programs that embed jtorrent through its public API. */
module dev.jtorrent.examples {
    requires dev.jtorrent;
}
