package dev.jtorrent.digest;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-1 from OpenSSL's libcrypto: {@code unsigned char *SHA1(const unsigned char *d, size_t n, unsigned char *md)},
 * one call per buffer (OpenSSL 3 keeps this one-shot function and deprecates only {@code SHA1_Init} and its kin).
 * It keeps no state, so one instance serves every thread.
 *
 * <p>Calls are critical ({@link Linker.Option#critical(boolean)}): no thread-state change around them, and a heap
 * array is passed where it lies instead of being copied; the garbage collector waits for the call, which takes
 * about half a millisecond for a 1 MiB piece.
 *
 * <p>Compiled for release 22 (from {@code src/main/java22}) and loaded only by {@link Sha1Implementations}.
 */
final class OpenSslSha1 implements Sha1 {
    private static final String LIBRARY = "libcrypto.so.3";
    private static final byte[] SHA1_OF_ABC = HexFormat.of().parseHex("a9993e364706816aba3e25717850c26c9cd0d89d");

    private final MethodHandle sha1;

    private OpenSslSha1(MethodHandle sha1) {
        this.sha1 = sha1;
    }

    /**
     * Binds libcrypto's {@code SHA1} and checks it on a known digest (FIPS 180 "abc"); an
     * {@link UnsupportedOperationException} says why it cannot be used.
     */
    static Sha1 load() {
        if (!OpenSslSha1.class.getModule().isNativeAccessEnabled()) {
            // Without it the JDK would print a warning at the first native call; it is the user's choice to make.
            throw new UnsupportedOperationException(
                    "native access is not enabled; --enable-native-access=ALL-UNNAMED enables it");
        }
        if (ADDRESS.byteSize() != Long.BYTES) {
            throw new UnsupportedOperationException("libcrypto is used on 64-bit JVMs only");
        }
        SymbolLookup libcrypto;
        try {
            libcrypto = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException(LIBRARY + " cannot be loaded");
        }
        MemorySegment function = libcrypto.find("SHA1")
                .orElseThrow(() -> new UnsupportedOperationException(LIBRARY + " has no SHA1 function"));
        MethodHandle handle = Linker.nativeLinker().downcallHandle(function,
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), Linker.Option.critical(true));
        OpenSslSha1 binding = new OpenSslSha1(handle);
        byte[] abc = binding.digest(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        if (!Arrays.equals(abc, SHA1_OF_ABC)) {
            throw new UnsupportedOperationException(LIBRARY + "'s SHA1 gave a wrong digest");
        }
        return binding;
    }

    @Override
    public byte[] digest(ByteBuffer data) {
        MemorySegment input = MemorySegment.ofBuffer(data); // from the position to the limit; the position stays
        byte[] digest = new byte[LENGTH];
        MemorySegment result;
        try {
            result = (MemorySegment) sha1.invokeExact(input, input.byteSize(), MemorySegment.ofArray(digest));
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto's SHA1 failed", e);
        }
        if (result.address() == 0) {
            // SHA1 returns NULL only when OpenSSL cannot fetch the algorithm (a provider configuration that
            // forbids it); the JDK's digest then answers instead.
            return new JdkSha1().digest(data);
        }
        return digest;
    }
}
