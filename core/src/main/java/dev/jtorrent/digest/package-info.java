/** SHA-1 for piece hashes: OpenSSL's libcrypto where it can be used, the JDK's digest everywhere else. */
package dev.jtorrent.digest;
