package dev.jtorrent.digest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * Chooses, once per JVM, between libcrypto and the JDK for {@link Sha1#create()}. The libcrypto binding,
 * {@code OpenSslSha1}, uses the foreign function API, final only in release 22, so it is compiled for 22 (from
 * {@code src/main/java22}) while everything else is compiled for 21; it is looked up by name, and only on a JDK that
 * can load it.
 */
final class Sha1Implementations {
    static final String PROPERTY = "jtorrent.sha1";
    private static final String BINDING = "dev.jtorrent.digest.OpenSslSha1";

    /** libcrypto's digest, which keeps no state and so serves every thread; null when it cannot be used. */
    private static final Sha1 NATIVE;
    private static final String DESCRIPTION;

    static {
        Sha1 found = null;
        String description;
        String choice = System.getProperty(PROPERTY, "");
        if (choice.equalsIgnoreCase("jdk")) {
            description = "JDK (-D" + PROPERTY + "=jdk)";
        } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            description = "JDK (libcrypto is used on Linux only)";
        } else if (Runtime.version().feature() < 22) {
            description = "JDK (libcrypto needs a JDK of release 22 or newer, not " + Runtime.version().feature() + ")";
        } else {
            String reason;
            try {
                Class<?> binding = Class.forName(BINDING);
                found = (Sha1) MethodHandles.lookup()
                        .findStatic(binding, "load", MethodType.methodType(Sha1.class)).invoke();
                reason = null;
            } catch (ClassNotFoundException e) {
                reason = "this build has no libcrypto binding: it was built with a JDK older than 22";
            } catch (UnsupportedOperationException e) {
                reason = e.getMessage();
            } catch (Throwable e) {
                reason = e.toString();
            }
            description = found != null ? "OpenSSL libcrypto.so.3" : "JDK (" + reason + ")";
        }
        NATIVE = found;
        DESCRIPTION = description;
    }

    private Sha1Implementations() {
    }

    static Sha1 create() {
        return NATIVE != null ? NATIVE : new JdkSha1();
    }

    static String description() {
        return DESCRIPTION;
    }
}
