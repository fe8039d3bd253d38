package io.orbita.delivery.dkim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RSA-SHA256 (PKCS#1 v1.5) signatures through the system's OpenSSL libcrypto, called with the FFM API. Every message
 * sent needs one RSA-2048 signature: the JDK's own RSA does about 1,100 a second per core on this machine, libcrypto
 * about 3,700, and the signature was the largest single cost of the sending path. The signatures are the same bytes
 * (PKCS#1 v1.5 is deterministic), so this is purely a speed-up; where libcrypto or the FFM API (final since Java 22)
 * is not there, or with {@code -Dorbita.dkim.openssl=false}, {@link #available()} is false and the JDK signs.
 *
 * <p>The project compiles for Java 21, where {@code java.lang.foreign} is still a preview API, so the few FFM calls
 * are made through method handles found by name at run time. The data, signature and length are passed as heap
 * arrays to "critical" downcalls (no native copies per message); only the key is copied into native memory, once.
 */
final class OpenSslRsa {

    private static final Logger log = LoggerFactory.getLogger(OpenSslRsa.class);

    private static final Ffm FFM = Ffm.load();

    /**
     * Native keys (EVP_PKEY pointers as MemorySegments) by their Java key; keys compare by their PKCS#8 encoding. A
     * domain has one RSA key, so this stays small; the native keys are never freed (a signing thread may be using
     * one), so the map is capped, never cleared.
     */
    private static final Map<PrivateKey, Object> KEYS = new ConcurrentHashMap<>();
    private static final int MAX_KEYS = 10_000;

    private OpenSslRsa() {
    }

    static boolean available() {
        return FFM != null;
    }

    /** The RSA-SHA256 signature of {@code data}, or null when OpenSSL is not there or refused (the JDK signs then). */
    static byte[] sign(PrivateKey key, byte[] data) {
        if (FFM == null) {
            return null;
        }
        try {
            Object pkey = nativeKey(key);
            return pkey == null ? null : FFM.sign(pkey, data);
        } catch (Throwable e) {
            log.warn("OpenSSL RSA signature failed, the JDK signs instead: {}", e.toString());
            return null;
        }
    }

    private static Object nativeKey(PrivateKey key) throws Throwable {
        Object cached = KEYS.get(key);
        if (cached != null) {
            return cached;
        }
        if (KEYS.size() >= MAX_KEYS) {
            return null;   // more keys than any installation has: leave them to the JDK rather than leak native memory
        }
        byte[] der = key.getEncoded();
        Object pkey = der == null ? null : FFM.readKey(der);
        if (pkey == null) {
            return null;
        }
        Object raced = KEYS.putIfAbsent(key, pkey);
        return raced == null ? pkey : raced;
    }

    /** The handles into libcrypto and the FFM API. */
    private record Ffm(MethodHandle d2iAutoPrivateKey, MethodHandle ctxNew, MethodHandle ctxFree, MethodHandle signInit,
                       MethodHandle digestSign, Object sha256, Object nullSegment, MethodHandle ofBytes,
                       MethodHandle ofLongs, MethodHandle isNull, MethodHandle autoArena, MethodHandle allocate,
                       MethodHandle copyFrom, MethodHandle address, MethodHandle setLong, Object javaLong) {

        static Ffm load() {
            if ("false".equalsIgnoreCase(System.getProperty("orbita.dkim.openssl", "true"))) {
                return null;
            }
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                Class<?> seg = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> ofLong = Class.forName("java.lang.foreign.ValueLayout$OfLong");
                Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
                Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
                Object address = valueLayout.getField("ADDRESS").get(null);
                Object javaLong = valueLayout.getField("JAVA_LONG").get(null);
                Object javaInt = valueLayout.getField("JAVA_INT").get(null);
                Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
                Object global = arena.getMethod("global").invoke(null);
                Object lib = null;
                for (String name : new String[] {"libcrypto.so.3", "libcrypto.so", "libcrypto.3.dylib", "libcrypto.dylib"}) {
                    try {
                        lib = lookupClass.getMethod("libraryLookup", String.class, arena).invoke(null, name, global);
                        break;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        // not under this name
                    }
                }
                if (lib == null) {
                    log.info("DKIM signs with the JDK's RSA: no OpenSSL libcrypto found");
                    return null;
                }
                Object layouts = Array.newInstance(layout, 0);
                var of = descriptor.getMethod("of", layout, layouts.getClass());
                var findOrThrow = lookupClass.getMethod("findOrThrow", String.class);
                var downcall = linkerClass.getMethod("downcallHandle", seg, descriptor, Array.newInstance(option, 0).getClass());
                Object noOptions = Array.newInstance(option, 0);
                Object critical = Array.newInstance(option, 1);
                Array.set(critical, 0, option.getMethod("critical", boolean.class).invoke(null, true));
                java.util.function.BiFunction<Object, Object[], Object> desc = (ret, args) -> {
                    try {
                        Object arr = Array.newInstance(layout, args.length);
                        for (int i = 0; i < args.length; i++) {
                            Array.set(arr, i, args[i]);
                        }
                        return of.invoke(null, ret, arr);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                };
                MethodHandle d2i = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "d2i_AutoPrivateKey"),
                        desc.apply(address, new Object[] {address, address, javaLong}), noOptions);
                MethodHandle sha = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "EVP_sha256"),
                        desc.apply(address, new Object[0]), noOptions);
                MethodHandle ctxNew = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "EVP_MD_CTX_new"),
                        desc.apply(address, new Object[0]), noOptions);
                MethodHandle ctxFree = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "EVP_MD_CTX_free"),
                        descriptor.getMethod("ofVoid", layouts.getClass()).invoke(null, one(layout, address)), noOptions);
                MethodHandle init = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "EVP_DigestSignInit"),
                        desc.apply(javaInt, new Object[] {address, address, address, address, address}), noOptions);
                // Heap arrays go straight to the one-shot signing call: a "critical" downcall may read and write them.
                MethodHandle sign = (MethodHandle) downcall.invoke(linker, findOrThrow.invoke(lib, "EVP_DigestSign"),
                        desc.apply(javaInt, new Object[] {address, address, address, address, javaLong}), critical);
                Object md = sha.invokeWithArguments();
                MethodHandle isNull = l.findVirtual(seg, "equals", java.lang.invoke.MethodType.methodType(boolean.class, Object.class));
                Object nullSegment = seg.getField("NULL").get(null);
                if ((boolean) isNull.invoke(md, nullSegment)) {
                    return null;
                }
                Ffm ffm = new Ffm(d2i, ctxNew, ctxFree, init, sign, md, nullSegment,
                        l.unreflect(seg.getMethod("ofArray", byte[].class)), l.unreflect(seg.getMethod("ofArray", long[].class)),
                        isNull, l.unreflect(arena.getMethod("ofAuto")),
                        l.unreflect(arena.getMethod("allocate", long.class)), l.unreflect(seg.getMethod("copyFrom", seg)),
                        l.unreflect(seg.getMethod("address")), l.unreflect(seg.getMethod("set", ofLong, long.class, long.class)),
                        javaLong);
                log.info("DKIM RSA signatures through OpenSSL libcrypto");
                return ffm;
            } catch (Throwable e) {
                log.info("DKIM signs with the JDK's RSA: OpenSSL libcrypto is not usable here ({})", e.toString());
                return null;
            }
        }

        private static Object one(Class<?> type, Object value) {
            Object arr = Array.newInstance(type, 1);
            Array.set(arr, 0, value);
            return arr;
        }

        /** An EVP_PKEY for a PKCS#8 key, or null. */
        Object readKey(byte[] der) throws Throwable {
            // The DER bytes and the pointer to them live in native memory freed with the arena, after the call.
            Object arena = autoArena.invoke();
            Object buf = allocate.invoke(arena, (long) der.length);
            copyFrom.invoke(buf, ofBytes.invoke(der));
            Object pp = allocate.invoke(arena, 8L);
            setLong.invoke(pp, javaLong, 0L, (long) address.invoke(buf));
            Object pkey = d2iAutoPrivateKey.invoke(nullSegment, pp, (long) der.length);
            java.lang.ref.Reference.reachabilityFence(arena);
            return (boolean) isNull.invoke(pkey, nullSegment) ? null : pkey;
        }

        byte[] sign(Object pkey, byte[] data) throws Throwable {
            Object ctx = ctxNew.invoke();
            if ((boolean) isNull.invoke(ctx, nullSegment)) {
                return null;
            }
            try {
                if ((int) signInit.invoke(ctx, nullSegment, sha256, nullSegment, pkey) != 1) {
                    return null;
                }
                byte[] sig = new byte[1024];
                long[] len = {sig.length};
                if ((int) digestSign.invoke(ctx, ofBytes.invoke(sig), ofLongs.invoke(len), ofBytes.invoke(data), (long) data.length) != 1) {
                    return null;
                }
                return java.util.Arrays.copyOf(sig, (int) len[0]);
            } finally {
                ctxFree.invoke(ctx);
            }
        }
    }
}
