;; SHA-1 and SHA-256 compressions (FIPS 180-4) for the PKCS#12 key derivation and MAC
;; (./kdf.ts, ./sha.ts). Hand-written; assembled by test/support/wasm.ts (wabt) into ./sha-wasm.ts,
;; which is what ships. A tooling test assembles this file again and compares the bytes, and
;; test/legacy-crypto.test.ts checks the results against WebCrypto on every runtime.
;;
;; Why WebAssembly: a fresh process's first PFX derives its MAC key with 2,048 SHA-256
;; compressions, a legacy file its keys with about 12,000 SHA-1 ones. As JavaScript these run in
;; V8's interpreter (about 13 µs a compression) until the optimizing compiler is done; WebAssembly
;; starts in V8's baseline compiler (1–3 µs) and tiers up sooner. Where a runtime refuses to
;; compile code at run time (Cloudflare Workers), ./sha.ts uses its JavaScript compressions.
;; (The legacy ciphers' loops are ./cipher.wat: a module of their own, compiled only for the files
;; that use them.)
;;
;; Memory (one 64 KiB page), byte offsets:
;;   0..32      the state: 5 or 8 words, as numbers (the host reads them through an Int32Array)
;;   64..384    the message schedule W (80 words for SHA-1, 64 for SHA-256)
;;   512..768   SHA-256's round constants K (FIPS 180-4 §4.2.2)
;;   768..800   SHA-256's initial state (§5.3.3); 800..820 SHA-1's (§5.3.1)
;;   1024..     input blocks, big-endian bytes as in the message
;; `kind` is 1 for SHA-1 and 2 for SHA-256.
(module
  (memory (export "memory") 1)
  ;; SHA-256 K, then the initial states of SHA-256 and SHA-1: little-endian words.
  (data (i32.const 512)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6"
    "\67\e6\09\6a\85\ae\67\bb\72\f3\6e\3c\3a\f5\4f\a5\7f\52\0e\51\8c\68\05\9b\ab\d9\83\1f\19\cd\e0\5b"
    "\01\23\45\67\89\ab\cd\ef\fe\dc\ba\98\76\54\32\10\f0\e1\d2\c3")
  (func $bswap (param $x i32) (result i32)
    (i32.or
      (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff00ff))
      (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00ff00))))
  ;; SHA-256's compression of the block in W[0..16) into the state.
  (func $c256
    (local $i i32) (local $p i32) (local $x i32) (local $y i32) (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local.set $p (i32.const 128))
    (loop $exp
      (local.set $x (i32.load (i32.sub (local.get $p) (i32.const 60))))
      (local.set $y (i32.load (i32.sub (local.get $p) (i32.const 8))))
      (i32.store (local.get $p)
        (i32.add
          (i32.add (i32.load (i32.sub (local.get $p) (i32.const 64)))
            (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 7)) (i32.rotr (local.get $x) (i32.const 18))) (i32.shr_u (local.get $x) (i32.const 3))))
          (i32.add (i32.load (i32.sub (local.get $p) (i32.const 28)))
            (i32.xor (i32.xor (i32.rotr (local.get $y) (i32.const 17)) (i32.rotr (local.get $y) (i32.const 19))) (i32.shr_u (local.get $y) (i32.const 10))))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $exp (i32.lt_u (local.get $p) (i32.const 320))))
    (local.set $a (i32.load (i32.const 0))) (local.set $b (i32.load (i32.const 4)))
    (local.set $c (i32.load (i32.const 8))) (local.set $d (i32.load (i32.const 12)))
    (local.set $e (i32.load (i32.const 16))) (local.set $f (i32.load (i32.const 20)))
    (local.set $g (i32.load (i32.const 24))) (local.set $h (i32.load (i32.const 28)))
    ;; Eight rounds a pass, the variables renamed instead of shifted (a..h → h,a..g each round):
    ;; no register moves between rounds.
    (local.set $i (i32.const 0))
    (loop $round
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $h)
          (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11))) (i32.rotr (local.get $e) (i32.const 25))))
          (i32.xor (local.get $g) (i32.and (local.get $e) (i32.xor (local.get $f) (local.get $g)))))
          (i32.add (i32.load offset=512 (local.get $i)) (i32.load offset=64 (local.get $i)))))
      (local.set $d (i32.add (local.get $d) (local.get $t1)))
      (local.set $h (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13))) (i32.rotr (local.get $a) (i32.const 22)))
          (i32.or (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $c) (i32.or (local.get $a) (local.get $b)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $g)
          (i32.xor (i32.xor (i32.rotr (local.get $d) (i32.const 6)) (i32.rotr (local.get $d) (i32.const 11))) (i32.rotr (local.get $d) (i32.const 25))))
          (i32.xor (local.get $f) (i32.and (local.get $d) (i32.xor (local.get $e) (local.get $f)))))
          (i32.add (i32.load offset=516 (local.get $i)) (i32.load offset=68 (local.get $i)))))
      (local.set $c (i32.add (local.get $c) (local.get $t1)))
      (local.set $g (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $h) (i32.const 2)) (i32.rotr (local.get $h) (i32.const 13))) (i32.rotr (local.get $h) (i32.const 22)))
          (i32.or (i32.and (local.get $h) (local.get $a)) (i32.and (local.get $b) (i32.or (local.get $h) (local.get $a)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $f)
          (i32.xor (i32.xor (i32.rotr (local.get $c) (i32.const 6)) (i32.rotr (local.get $c) (i32.const 11))) (i32.rotr (local.get $c) (i32.const 25))))
          (i32.xor (local.get $e) (i32.and (local.get $c) (i32.xor (local.get $d) (local.get $e)))))
          (i32.add (i32.load offset=520 (local.get $i)) (i32.load offset=72 (local.get $i)))))
      (local.set $b (i32.add (local.get $b) (local.get $t1)))
      (local.set $f (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $g) (i32.const 2)) (i32.rotr (local.get $g) (i32.const 13))) (i32.rotr (local.get $g) (i32.const 22)))
          (i32.or (i32.and (local.get $g) (local.get $h)) (i32.and (local.get $a) (i32.or (local.get $g) (local.get $h)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $e)
          (i32.xor (i32.xor (i32.rotr (local.get $b) (i32.const 6)) (i32.rotr (local.get $b) (i32.const 11))) (i32.rotr (local.get $b) (i32.const 25))))
          (i32.xor (local.get $d) (i32.and (local.get $b) (i32.xor (local.get $c) (local.get $d)))))
          (i32.add (i32.load offset=524 (local.get $i)) (i32.load offset=76 (local.get $i)))))
      (local.set $a (i32.add (local.get $a) (local.get $t1)))
      (local.set $e (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $f) (i32.const 2)) (i32.rotr (local.get $f) (i32.const 13))) (i32.rotr (local.get $f) (i32.const 22)))
          (i32.or (i32.and (local.get $f) (local.get $g)) (i32.and (local.get $h) (i32.or (local.get $f) (local.get $g)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $d)
          (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 6)) (i32.rotr (local.get $a) (i32.const 11))) (i32.rotr (local.get $a) (i32.const 25))))
          (i32.xor (local.get $c) (i32.and (local.get $a) (i32.xor (local.get $b) (local.get $c)))))
          (i32.add (i32.load offset=528 (local.get $i)) (i32.load offset=80 (local.get $i)))))
      (local.set $h (i32.add (local.get $h) (local.get $t1)))
      (local.set $d (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 2)) (i32.rotr (local.get $e) (i32.const 13))) (i32.rotr (local.get $e) (i32.const 22)))
          (i32.or (i32.and (local.get $e) (local.get $f)) (i32.and (local.get $g) (i32.or (local.get $e) (local.get $f)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $c)
          (i32.xor (i32.xor (i32.rotr (local.get $h) (i32.const 6)) (i32.rotr (local.get $h) (i32.const 11))) (i32.rotr (local.get $h) (i32.const 25))))
          (i32.xor (local.get $b) (i32.and (local.get $h) (i32.xor (local.get $a) (local.get $b)))))
          (i32.add (i32.load offset=532 (local.get $i)) (i32.load offset=84 (local.get $i)))))
      (local.set $g (i32.add (local.get $g) (local.get $t1)))
      (local.set $c (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $d) (i32.const 2)) (i32.rotr (local.get $d) (i32.const 13))) (i32.rotr (local.get $d) (i32.const 22)))
          (i32.or (i32.and (local.get $d) (local.get $e)) (i32.and (local.get $f) (i32.or (local.get $d) (local.get $e)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $b)
          (i32.xor (i32.xor (i32.rotr (local.get $g) (i32.const 6)) (i32.rotr (local.get $g) (i32.const 11))) (i32.rotr (local.get $g) (i32.const 25))))
          (i32.xor (local.get $a) (i32.and (local.get $g) (i32.xor (local.get $h) (local.get $a)))))
          (i32.add (i32.load offset=536 (local.get $i)) (i32.load offset=88 (local.get $i)))))
      (local.set $f (i32.add (local.get $f) (local.get $t1)))
      (local.set $b (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $c) (i32.const 2)) (i32.rotr (local.get $c) (i32.const 13))) (i32.rotr (local.get $c) (i32.const 22)))
          (i32.or (i32.and (local.get $c) (local.get $d)) (i32.and (local.get $e) (i32.or (local.get $c) (local.get $d)))))))
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $a)
          (i32.xor (i32.xor (i32.rotr (local.get $f) (i32.const 6)) (i32.rotr (local.get $f) (i32.const 11))) (i32.rotr (local.get $f) (i32.const 25))))
          (i32.xor (local.get $h) (i32.and (local.get $f) (i32.xor (local.get $g) (local.get $h)))))
          (i32.add (i32.load offset=540 (local.get $i)) (i32.load offset=92 (local.get $i)))))
      (local.set $e (i32.add (local.get $e) (local.get $t1)))
      (local.set $a (i32.add (local.get $t1)
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $b) (i32.const 2)) (i32.rotr (local.get $b) (i32.const 13))) (i32.rotr (local.get $b) (i32.const 22)))
          (i32.or (i32.and (local.get $b) (local.get $c)) (i32.and (local.get $d) (i32.or (local.get $b) (local.get $c)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 32)))
      (br_if $round (i32.lt_u (local.get $i) (i32.const 256))))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $a)))
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (local.get $b)))
    (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (local.get $c)))
    (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (local.get $d)))
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $e)))
    (i32.store (i32.const 20) (i32.add (i32.load (i32.const 20)) (local.get $f)))
    (i32.store (i32.const 24) (i32.add (i32.load (i32.const 24)) (local.get $g)))
    (i32.store (i32.const 28) (i32.add (i32.load (i32.const 28)) (local.get $h))))
  ;; SHA-1's compression of the block in W[0..16) into the state.
  (func $c1
    (local $i i32) (local $p i32) (local $x i32) (local $t i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local.set $p (i32.const 128))
    (loop $exp
      (i32.store (local.get $p)
        (i32.rotl
          (i32.xor (i32.xor (i32.load (i32.sub (local.get $p) (i32.const 12))) (i32.load (i32.sub (local.get $p) (i32.const 32))))
                   (i32.xor (i32.load (i32.sub (local.get $p) (i32.const 56))) (i32.load (i32.sub (local.get $p) (i32.const 64)))))
          (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $exp (i32.lt_u (local.get $p) (i32.const 384))))
    (local.set $a (i32.load (i32.const 0))) (local.set $b (i32.load (i32.const 4)))
    (local.set $c (i32.load (i32.const 8))) (local.set $d (i32.load (i32.const 12)))
    (local.set $e (i32.load (i32.const 16)))
    ;; Five rounds a pass, the variables renamed instead of shifted (a..e → e,a..d each round).
    (local.set $i (i32.const 64))
    (loop $r0
      (local.set $e (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (local.get $d) (i32.and (local.get $b) (i32.xor (local.get $c) (local.get $d)))))
                             (i32.add (i32.add (local.get $e) (i32.const 0x5a827999)) (i32.load offset=0 (local.get $i)))))
      (local.set $b (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $d (i32.add (i32.add (i32.rotl (local.get $e) (i32.const 5)) (i32.xor (local.get $c) (i32.and (local.get $a) (i32.xor (local.get $b) (local.get $c)))))
                             (i32.add (i32.add (local.get $d) (i32.const 0x5a827999)) (i32.load offset=4 (local.get $i)))))
      (local.set $a (i32.rotl (local.get $a) (i32.const 30)))
      (local.set $c (i32.add (i32.add (i32.rotl (local.get $d) (i32.const 5)) (i32.xor (local.get $b) (i32.and (local.get $e) (i32.xor (local.get $a) (local.get $b)))))
                             (i32.add (i32.add (local.get $c) (i32.const 0x5a827999)) (i32.load offset=8 (local.get $i)))))
      (local.set $e (i32.rotl (local.get $e) (i32.const 30)))
      (local.set $b (i32.add (i32.add (i32.rotl (local.get $c) (i32.const 5)) (i32.xor (local.get $a) (i32.and (local.get $d) (i32.xor (local.get $e) (local.get $a)))))
                             (i32.add (i32.add (local.get $b) (i32.const 0x5a827999)) (i32.load offset=12 (local.get $i)))))
      (local.set $d (i32.rotl (local.get $d) (i32.const 30)))
      (local.set $a (i32.add (i32.add (i32.rotl (local.get $b) (i32.const 5)) (i32.xor (local.get $e) (i32.and (local.get $c) (i32.xor (local.get $d) (local.get $e)))))
                             (i32.add (i32.add (local.get $a) (i32.const 0x5a827999)) (i32.load offset=16 (local.get $i)))))
      (local.set $c (i32.rotl (local.get $c) (i32.const 30)))
      (local.set $i (i32.add (local.get $i) (i32.const 20)))
      (br_if $r0 (i32.lt_u (local.get $i) (i32.const 144))))
    (loop $r1
      (local.set $e (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)))
                             (i32.add (i32.add (local.get $e) (i32.const 0x6ed9eba1)) (i32.load offset=0 (local.get $i)))))
      (local.set $b (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $d (i32.add (i32.add (i32.rotl (local.get $e) (i32.const 5)) (i32.xor (i32.xor (local.get $a) (local.get $b)) (local.get $c)))
                             (i32.add (i32.add (local.get $d) (i32.const 0x6ed9eba1)) (i32.load offset=4 (local.get $i)))))
      (local.set $a (i32.rotl (local.get $a) (i32.const 30)))
      (local.set $c (i32.add (i32.add (i32.rotl (local.get $d) (i32.const 5)) (i32.xor (i32.xor (local.get $e) (local.get $a)) (local.get $b)))
                             (i32.add (i32.add (local.get $c) (i32.const 0x6ed9eba1)) (i32.load offset=8 (local.get $i)))))
      (local.set $e (i32.rotl (local.get $e) (i32.const 30)))
      (local.set $b (i32.add (i32.add (i32.rotl (local.get $c) (i32.const 5)) (i32.xor (i32.xor (local.get $d) (local.get $e)) (local.get $a)))
                             (i32.add (i32.add (local.get $b) (i32.const 0x6ed9eba1)) (i32.load offset=12 (local.get $i)))))
      (local.set $d (i32.rotl (local.get $d) (i32.const 30)))
      (local.set $a (i32.add (i32.add (i32.rotl (local.get $b) (i32.const 5)) (i32.xor (i32.xor (local.get $c) (local.get $d)) (local.get $e)))
                             (i32.add (i32.add (local.get $a) (i32.const 0x6ed9eba1)) (i32.load offset=16 (local.get $i)))))
      (local.set $c (i32.rotl (local.get $c) (i32.const 30)))
      (local.set $i (i32.add (local.get $i) (i32.const 20)))
      (br_if $r1 (i32.lt_u (local.get $i) (i32.const 224))))
    (loop $r2
      (local.set $e (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.or (i32.and (local.get $b) (local.get $c)) (i32.and (local.get $d) (i32.or (local.get $b) (local.get $c)))))
                             (i32.add (i32.add (local.get $e) (i32.const 0x8f1bbcdc)) (i32.load offset=0 (local.get $i)))))
      (local.set $b (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $d (i32.add (i32.add (i32.rotl (local.get $e) (i32.const 5)) (i32.or (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $c) (i32.or (local.get $a) (local.get $b)))))
                             (i32.add (i32.add (local.get $d) (i32.const 0x8f1bbcdc)) (i32.load offset=4 (local.get $i)))))
      (local.set $a (i32.rotl (local.get $a) (i32.const 30)))
      (local.set $c (i32.add (i32.add (i32.rotl (local.get $d) (i32.const 5)) (i32.or (i32.and (local.get $e) (local.get $a)) (i32.and (local.get $b) (i32.or (local.get $e) (local.get $a)))))
                             (i32.add (i32.add (local.get $c) (i32.const 0x8f1bbcdc)) (i32.load offset=8 (local.get $i)))))
      (local.set $e (i32.rotl (local.get $e) (i32.const 30)))
      (local.set $b (i32.add (i32.add (i32.rotl (local.get $c) (i32.const 5)) (i32.or (i32.and (local.get $d) (local.get $e)) (i32.and (local.get $a) (i32.or (local.get $d) (local.get $e)))))
                             (i32.add (i32.add (local.get $b) (i32.const 0x8f1bbcdc)) (i32.load offset=12 (local.get $i)))))
      (local.set $d (i32.rotl (local.get $d) (i32.const 30)))
      (local.set $a (i32.add (i32.add (i32.rotl (local.get $b) (i32.const 5)) (i32.or (i32.and (local.get $c) (local.get $d)) (i32.and (local.get $e) (i32.or (local.get $c) (local.get $d)))))
                             (i32.add (i32.add (local.get $a) (i32.const 0x8f1bbcdc)) (i32.load offset=16 (local.get $i)))))
      (local.set $c (i32.rotl (local.get $c) (i32.const 30)))
      (local.set $i (i32.add (local.get $i) (i32.const 20)))
      (br_if $r2 (i32.lt_u (local.get $i) (i32.const 304))))
    (loop $r3
      (local.set $e (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)))
                             (i32.add (i32.add (local.get $e) (i32.const 0xca62c1d6)) (i32.load offset=0 (local.get $i)))))
      (local.set $b (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $d (i32.add (i32.add (i32.rotl (local.get $e) (i32.const 5)) (i32.xor (i32.xor (local.get $a) (local.get $b)) (local.get $c)))
                             (i32.add (i32.add (local.get $d) (i32.const 0xca62c1d6)) (i32.load offset=4 (local.get $i)))))
      (local.set $a (i32.rotl (local.get $a) (i32.const 30)))
      (local.set $c (i32.add (i32.add (i32.rotl (local.get $d) (i32.const 5)) (i32.xor (i32.xor (local.get $e) (local.get $a)) (local.get $b)))
                             (i32.add (i32.add (local.get $c) (i32.const 0xca62c1d6)) (i32.load offset=8 (local.get $i)))))
      (local.set $e (i32.rotl (local.get $e) (i32.const 30)))
      (local.set $b (i32.add (i32.add (i32.rotl (local.get $c) (i32.const 5)) (i32.xor (i32.xor (local.get $d) (local.get $e)) (local.get $a)))
                             (i32.add (i32.add (local.get $b) (i32.const 0xca62c1d6)) (i32.load offset=12 (local.get $i)))))
      (local.set $d (i32.rotl (local.get $d) (i32.const 30)))
      (local.set $a (i32.add (i32.add (i32.rotl (local.get $b) (i32.const 5)) (i32.xor (i32.xor (local.get $c) (local.get $d)) (local.get $e)))
                             (i32.add (i32.add (local.get $a) (i32.const 0xca62c1d6)) (i32.load offset=16 (local.get $i)))))
      (local.set $c (i32.rotl (local.get $c) (i32.const 30)))
      (local.set $i (i32.add (local.get $i) (i32.const 20)))
      (br_if $r3 (i32.lt_u (local.get $i) (i32.const 384))))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $a)))
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (local.get $b)))
    (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (local.get $c)))
    (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (local.get $d)))
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $e))))
  ;; Loads the block at $ptr into W[0..16), big-endian.
  (func $load (param $ptr i32)
    (local $j i32)
    (loop $l
      (i32.store offset=64 (local.get $j) (call $bswap (i32.load (i32.add (local.get $ptr) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $j) (i32.const 64)))))
  ;; Compresses the $n blocks at $ptr into the state.
  (func (export "blocks") (param $kind i32) (param $ptr i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $load (local.get $ptr))
        (if (i32.eq (local.get $kind) (i32.const 1)) (then (call $c1)) (else (call $c256)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))
  ;; The iterated hash of the PKCS#12 KDF: the digest in the state becomes its own hash, $count
  ;; times. Each round's message is one block: the digest (20 or 32 bytes), then its fixed padding.
  ;; The compressions only write W[16..), so the padding words are stored once, before the loop;
  ;; each round copies the digest into W[0..) and the initial state into the state with word loads
  ;; and stores (memory.copy/fill with a length only known at run time cost V8 a call per use:
  ;; 4 of them a round took about as long as a SHA-1 compression).
  (func (export "iterate") (param $kind i32) (param $count i32)
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (i32.store (i32.const 84) (i32.const 0x80000000))
        (memory.fill (i32.const 88) (i32.const 0) (i32.const 36))
        (i32.store (i32.const 124) (i32.const 160))
        (block $done1
          (loop $next1
            (br_if $done1 (i32.eqz (local.get $count)))
            (i64.store (i32.const 64) (i64.load (i32.const 0)))
            (i64.store (i32.const 72) (i64.load (i32.const 8)))
            (i32.store (i32.const 80) (i32.load (i32.const 16)))
            (i64.store (i32.const 0) (i64.load (i32.const 800)))
            (i64.store (i32.const 8) (i64.load (i32.const 808)))
            (i32.store (i32.const 16) (i32.load (i32.const 816)))
            (call $c1)
            (local.set $count (i32.sub (local.get $count) (i32.const 1)))
            (br $next1))))
      (else
        (i32.store (i32.const 96) (i32.const 0x80000000))
        (memory.fill (i32.const 100) (i32.const 0) (i32.const 24))
        (i32.store (i32.const 124) (i32.const 256))
        (block $done2
          (loop $next2
            (br_if $done2 (i32.eqz (local.get $count)))
            (i64.store (i32.const 64) (i64.load (i32.const 0)))
            (i64.store (i32.const 72) (i64.load (i32.const 8)))
            (i64.store (i32.const 80) (i64.load (i32.const 16)))
            (i64.store (i32.const 88) (i64.load (i32.const 24)))
            (i64.store (i32.const 0) (i64.load (i32.const 768)))
            (i64.store (i32.const 8) (i64.load (i32.const 776)))
            (i64.store (i32.const 16) (i64.load (i32.const 784)))
            (i64.store (i32.const 24) (i64.load (i32.const 792)))
            (call $c256)
            (local.set $count (i32.sub (local.get $count) (i32.const 1)))
            (br $next2)))))))
