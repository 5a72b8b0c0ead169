;; SHA-1 and SHA-256 compressions (FIPS 180-4) for the PKCS#12 key derivation and MAC
;; (./kdf.ts, ./sha.ts), and the block loops of Triple DES and RC2 decryption in CBC mode for the
;; legacy PBE schemes (./des3.ts, ./rc2.ts). Hand-written; assembled by test/support/wasm.ts (wabt)
;; into ./sha-wasm.ts, which is what ships. A tooling test assembles this file again and compares
;; the bytes, and test/legacy-crypto.test.ts checks the results against WebCrypto and published
;; vectors on every runtime, with the JavaScript of those modules beside them.
;;
;; Why WebAssembly: a fresh process's first PFX derives its MAC key with 2,048 SHA-256
;; compressions, a legacy file its keys with about 12,000 SHA-1 ones and decrypts its bags with
;; Triple DES and RC2 (48 DES rounds for each 8 bytes of the key bag). As JavaScript these run in
;; V8's interpreter (about 13 µs a compression) until the optimizing compiler is done; WebAssembly
;; starts in V8's baseline compiler (1–3 µs) and tiers up sooner. Where a runtime refuses to
;; compile code at run time (Cloudflare Workers), those modules use their JavaScript.
;;
;; Memory (one 64 KiB page), byte offsets:
;;   0..32      the state: 5 or 8 words, as numbers (the host reads them through an Int32Array)
;;   64..384    the message schedule W (80 words for SHA-1, 64 for SHA-256)
;;   512..768   SHA-256's round constants K (FIPS 180-4 §4.2.2)
;;   768..800   SHA-256's initial state (§5.3.3); 800..820 SHA-1's (§5.3.1)
;;   1024..3072 Triple DES's eight SP tables, 64 words each (./des3.ts builds the same ones)
;;   3072..3456 the 96 Triple DES round-key words, in decryption order (written by the host)
;;   3456..3464 the CBC IV, as in the file; replaced by the last ciphertext block decrypted
;;   3584..3840 RC2's 64 expanded key words, one a word (written by the host)
;;   4096..     input blocks, bytes as in the message (ciphertext: decrypted in place)
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
  ;; Triple DES: SP1 … SP8 (./des3.ts: spTables), little-endian words.
  (data (i32.const 1024)
    "\00\04\01\01\00\00\00\00\00\00\01\00\04\04\01\01\04\00\01\01\04\04\01\00\04\00\00\00\00\00\01\00"
    "\00\04\00\00\00\04\01\01\04\04\01\01\00\04\00\00\04\04\00\01\04\00\01\01\00\00\00\01\04\00\00\00"
    "\04\04\00\00\00\04\00\01\00\04\00\01\00\04\01\00\00\04\01\00\00\00\01\01\00\00\01\01\04\04\00\01"
    "\04\00\01\00\04\00\00\01\04\00\00\01\04\00\01\00\00\00\00\00\04\04\00\00\04\04\01\00\00\00\00\01"
    "\00\00\01\00\04\04\01\01\04\00\00\00\00\00\01\01\00\04\01\01\00\00\00\01\00\00\00\01\00\04\00\00"
    "\04\00\01\01\00\00\01\00\00\04\01\00\04\00\00\01\00\04\00\00\04\00\00\00\04\04\00\01\04\04\01\00"
    "\04\04\01\01\04\00\01\00\00\00\01\01\04\04\00\01\04\00\00\01\04\04\00\00\04\04\01\00\00\04\01\01"
    "\04\04\00\00\00\04\00\01\00\04\00\01\00\00\00\00\04\00\01\00\00\04\01\00\00\00\00\00\04\00\01\01"
    "\20\80\10\80\00\80\00\80\00\80\00\00\20\80\10\00\00\00\10\00\20\00\00\00\20\00\10\80\20\80\00\80"
    "\20\00\00\80\20\80\10\80\00\80\10\80\00\00\00\80\00\80\00\80\00\00\10\00\20\00\00\00\20\00\10\80"
    "\00\80\10\00\20\00\10\00\20\80\00\80\00\00\00\00\00\00\00\80\00\80\00\00\20\80\10\00\00\00\10\80"
    "\20\00\10\00\20\00\00\80\00\00\00\00\00\80\10\00\20\80\00\00\00\80\10\80\00\00\10\80\20\80\00\00"
    "\00\00\00\00\20\80\10\00\20\00\10\80\00\00\10\00\20\80\00\80\00\00\10\80\00\80\10\80\00\80\00\00"
    "\00\00\10\80\00\80\00\80\20\00\00\00\20\80\10\80\20\80\10\00\20\00\00\00\00\80\00\00\00\00\00\80"
    "\20\80\00\00\00\80\10\80\00\00\10\00\20\00\00\80\20\00\10\00\20\80\00\80\20\00\00\80\20\00\10\00"
    "\00\80\10\00\00\00\00\00\00\80\00\80\20\80\00\00\00\00\00\80\20\00\10\80\20\80\10\80\00\80\10\00"
    "\08\02\00\00\00\02\02\08\00\00\00\00\08\00\02\08\00\02\00\08\00\00\00\00\08\02\02\00\00\02\00\08"
    "\08\00\02\00\08\00\00\08\08\00\00\08\00\00\02\00\08\02\02\08\08\00\02\00\00\00\02\08\08\02\00\00"
    "\00\00\00\08\08\00\00\00\00\02\02\08\00\02\00\00\00\02\02\00\00\00\02\08\08\00\02\08\08\02\02\00"
    "\08\02\00\08\00\02\02\00\00\00\02\00\08\02\00\08\08\00\00\00\08\02\02\08\00\02\00\00\00\00\00\08"
    "\00\02\02\08\00\00\00\08\08\00\02\00\08\02\00\00\00\00\02\00\00\02\02\08\00\02\00\08\00\00\00\00"
    "\00\02\00\00\08\00\02\00\08\02\02\08\00\02\00\08\08\00\00\08\00\02\00\00\00\00\00\00\08\00\02\08"
    "\08\02\00\08\00\00\02\00\00\00\00\08\08\02\02\08\08\00\00\00\08\02\02\00\00\02\02\00\08\00\00\08"
    "\00\00\02\08\08\02\00\08\08\02\00\00\00\00\02\08\08\02\02\00\08\00\00\00\08\00\02\08\00\02\02\00"
    "\01\20\80\00\81\20\00\00\81\20\00\00\80\00\00\00\80\20\80\00\81\00\80\00\01\00\80\00\01\20\00\00"
    "\00\00\00\00\00\20\80\00\00\20\80\00\81\20\80\00\81\00\00\00\00\00\00\00\80\00\80\00\01\00\80\00"
    "\01\00\00\00\00\20\00\00\00\00\80\00\01\20\80\00\80\00\00\00\00\00\80\00\01\20\00\00\80\20\00\00"
    "\81\00\80\00\01\00\00\00\80\20\00\00\80\00\80\00\00\20\00\00\80\20\80\00\81\20\80\00\81\00\00\00"
    "\80\00\80\00\01\00\80\00\00\20\80\00\81\20\80\00\81\00\00\00\00\00\00\00\00\00\00\00\00\20\80\00"
    "\80\20\00\00\80\00\80\00\81\00\80\00\01\00\00\00\01\20\80\00\81\20\00\00\81\20\00\00\80\00\00\00"
    "\81\20\80\00\81\00\00\00\01\00\00\00\00\20\00\00\01\00\80\00\01\20\00\00\80\20\80\00\81\00\80\00"
    "\01\20\00\00\80\20\00\00\00\00\80\00\01\20\80\00\80\00\00\00\00\00\80\00\00\20\00\00\80\20\80\00"
    "\00\01\00\00\00\01\08\02\00\00\08\02\00\01\00\42\00\00\08\00\00\01\00\00\00\00\00\40\00\00\08\02"
    "\00\01\08\40\00\00\08\00\00\01\00\02\00\01\08\40\00\01\00\42\00\00\08\42\00\01\08\00\00\00\00\40"
    "\00\00\00\02\00\00\08\40\00\00\08\40\00\00\00\00\00\01\00\40\00\01\08\42\00\01\08\42\00\01\00\02"
    "\00\00\08\42\00\01\00\40\00\00\00\00\00\00\00\42\00\01\08\02\00\00\00\02\00\00\00\42\00\01\08\00"
    "\00\00\08\00\00\01\00\42\00\01\00\00\00\00\00\02\00\00\00\40\00\00\08\02\00\01\00\42\00\01\08\40"
    "\00\01\00\02\00\00\00\40\00\00\08\42\00\01\08\02\00\01\08\40\00\01\00\00\00\00\00\02\00\00\08\42"
    "\00\01\08\42\00\01\08\00\00\00\00\42\00\01\08\42\00\00\08\02\00\00\00\00\00\00\08\40\00\00\00\42"
    "\00\01\08\00\00\01\00\02\00\01\00\40\00\00\08\00\00\00\00\00\00\00\08\40\00\01\08\02\00\01\00\40"
    "\10\00\00\20\00\00\40\20\00\40\00\00\10\40\40\20\00\00\40\20\10\00\00\00\10\40\40\20\00\00\40\00"
    "\00\40\00\20\10\40\40\00\00\00\40\00\10\00\00\20\10\00\40\00\00\40\00\20\00\00\00\20\10\40\00\00"
    "\00\00\00\00\10\00\40\00\10\40\00\20\00\40\00\00\00\40\40\00\10\40\00\20\10\00\00\00\10\00\40\20"
    "\10\00\40\20\00\00\00\00\10\40\40\00\00\40\40\20\10\40\00\00\00\40\40\00\00\40\40\20\00\00\00\20"
    "\00\40\00\20\10\00\00\00\10\00\40\20\00\40\40\00\10\40\40\20\00\00\40\00\10\40\00\00\10\00\00\20"
    "\00\00\40\00\00\40\00\20\00\00\00\20\10\40\00\00\10\00\00\20\10\40\40\20\00\40\40\00\00\00\40\20"
    "\10\40\40\00\00\40\40\20\00\00\00\00\10\00\40\20\10\00\00\00\00\40\00\00\00\00\40\20\10\40\40\00"
    "\00\40\00\00\10\00\40\00\10\40\00\20\00\00\00\00\00\40\40\20\00\00\00\20\10\00\40\00\10\40\00\20"
    "\00\00\20\00\02\00\20\04\02\08\00\04\00\00\00\00\00\08\00\00\02\08\00\04\02\08\20\00\00\08\20\04"
    "\02\08\20\04\00\00\20\00\00\00\00\00\02\00\00\04\02\00\00\00\00\00\00\04\02\00\20\04\02\08\00\00"
    "\00\08\00\04\02\08\20\00\02\00\20\00\00\08\00\04\02\00\00\04\00\00\20\04\00\08\20\04\02\00\20\00"
    "\00\00\20\04\00\08\00\00\02\08\00\00\02\08\20\04\00\08\20\00\02\00\00\00\00\00\00\04\00\08\20\00"
    "\00\00\00\04\00\08\20\00\00\00\20\00\02\08\00\04\02\08\00\04\02\00\20\04\02\00\20\04\02\00\00\00"
    "\02\00\20\00\00\00\00\04\00\08\00\04\00\00\20\00\00\08\20\04\02\08\00\00\02\08\20\00\00\08\20\04"
    "\02\08\00\00\02\00\00\04\02\08\20\04\00\00\20\04\00\08\20\00\00\00\00\00\02\00\00\00\02\08\20\04"
    "\00\00\00\00\02\08\20\00\00\00\20\04\00\08\00\00\02\00\00\04\00\08\00\04\00\08\00\00\02\00\20\00"
    "\40\10\00\10\00\10\00\00\00\00\04\00\40\10\04\10\00\00\00\10\40\10\00\10\40\00\00\00\00\00\00\10"
    "\40\00\04\00\00\00\04\10\40\10\04\10\00\10\04\00\00\10\04\10\40\10\04\00\00\10\00\00\40\00\00\00"
    "\00\00\04\10\40\00\00\10\00\10\00\10\40\10\00\00\00\10\04\00\40\00\04\00\40\00\04\10\00\10\04\10"
    "\40\10\00\00\00\00\00\00\00\00\00\00\40\00\04\10\40\00\00\10\00\10\00\10\40\10\04\00\00\00\04\00"
    "\40\10\04\00\00\00\04\00\00\10\04\10\00\10\00\00\40\00\00\00\40\00\04\10\00\10\00\00\40\10\04\00"
    "\00\10\00\10\40\00\00\00\40\00\00\10\00\00\04\10\40\00\04\10\00\00\00\10\00\00\04\00\40\10\00\10"
    "\00\00\00\00\40\10\04\10\40\00\04\00\40\00\00\10\00\00\04\10\00\10\00\10\40\10\00\10\00\00\00\00"
    "\40\10\04\10\00\10\04\00\00\10\04\00\40\10\00\00\40\10\00\00\40\00\04\00\00\00\00\10\00\10\04\10")
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
    (local.set $i (i32.const 0))
    (loop $round
      (local.set $t1
        (i32.add (i32.add (i32.add (local.get $h)
          (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6)) (i32.rotr (local.get $e) (i32.const 11))) (i32.rotr (local.get $e) (i32.const 25))))
          (i32.xor (local.get $g) (i32.and (local.get $e) (i32.xor (local.get $f) (local.get $g)))))
          (i32.add (i32.load offset=512 (local.get $i)) (i32.load offset=64 (local.get $i)))))
      (local.set $t2
        (i32.add
          (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13))) (i32.rotr (local.get $a) (i32.const 22)))
          (i32.or (i32.and (local.get $a) (local.get $b)) (i32.and (local.get $c) (i32.or (local.get $a) (local.get $b))))))
      (local.set $h (local.get $g)) (local.set $g (local.get $f)) (local.set $f (local.get $e))
      (local.set $e (i32.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $c)) (local.set $c (local.get $b)) (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t1) (local.get $t2)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
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
    (local.set $i (i32.const 64))
    (loop $r0
      (local.set $t (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (local.get $d) (i32.and (local.get $b) (i32.xor (local.get $c) (local.get $d)))))
                             (i32.add (i32.add (local.get $e) (i32.const 0x5a827999)) (i32.load (local.get $i)))))
      (local.set $e (local.get $d)) (local.set $d (local.get $c)) (local.set $c (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $b (local.get $a)) (local.set $a (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $r0 (i32.lt_u (local.get $i) (i32.const 144))))
    (loop $r1
      (local.set $t (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)))
                             (i32.add (i32.add (local.get $e) (i32.const 0x6ed9eba1)) (i32.load (local.get $i)))))
      (local.set $e (local.get $d)) (local.set $d (local.get $c)) (local.set $c (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $b (local.get $a)) (local.set $a (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $r1 (i32.lt_u (local.get $i) (i32.const 224))))
    (loop $r2
      (local.set $t (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.or (i32.and (local.get $b) (local.get $c)) (i32.and (local.get $d) (i32.or (local.get $b) (local.get $c)))))
                             (i32.add (i32.add (local.get $e) (i32.const 0x8f1bbcdc)) (i32.load (local.get $i)))))
      (local.set $e (local.get $d)) (local.set $d (local.get $c)) (local.set $c (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $b (local.get $a)) (local.set $a (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $r2 (i32.lt_u (local.get $i) (i32.const 304))))
    (loop $r3
      (local.set $t (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)))
                             (i32.add (i32.add (local.get $e) (i32.const 0xca62c1d6)) (i32.load (local.get $i)))))
      (local.set $e (local.get $d)) (local.set $d (local.get $c)) (local.set $c (i32.rotl (local.get $b) (i32.const 30)))
      (local.set $b (local.get $a)) (local.set $a (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
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
  ;; times. Each round's message is one block: the digest (5 or 8 words), then its fixed padding —
  ;; written once, since the compressions rewrite only W[16..]; each round copies the state into
  ;; W[0..), reloads the initial state and compresses (no bulk-memory calls inside the loop).
  (func (export "iterate") (param $kind i32) (param $count i32)
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (i32.store (i32.const 84) (i32.const 0x80000000))
        (memory.fill (i32.const 88) (i32.const 0) (i32.const 36))
        (i32.store (i32.const 124) (i32.const 160))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $count)))
            (i32.store (i32.const 64) (i32.load (i32.const 0)))
            (i32.store (i32.const 68) (i32.load (i32.const 4)))
            (i32.store (i32.const 72) (i32.load (i32.const 8)))
            (i32.store (i32.const 76) (i32.load (i32.const 12)))
            (i32.store (i32.const 80) (i32.load (i32.const 16)))
            (i32.store (i32.const 0) (i32.load (i32.const 800)))
            (i32.store (i32.const 4) (i32.load (i32.const 804)))
            (i32.store (i32.const 8) (i32.load (i32.const 808)))
            (i32.store (i32.const 12) (i32.load (i32.const 812)))
            (i32.store (i32.const 16) (i32.load (i32.const 816)))
            (call $c1)
            (local.set $count (i32.sub (local.get $count) (i32.const 1)))
            (br $next))))
      (else
        (i32.store (i32.const 96) (i32.const 0x80000000))
        (memory.fill (i32.const 100) (i32.const 0) (i32.const 24))
        (i32.store (i32.const 124) (i32.const 256))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $count)))
            (i32.store (i32.const 64) (i32.load (i32.const 0)))
            (i32.store (i32.const 68) (i32.load (i32.const 4)))
            (i32.store (i32.const 72) (i32.load (i32.const 8)))
            (i32.store (i32.const 76) (i32.load (i32.const 12)))
            (i32.store (i32.const 80) (i32.load (i32.const 16)))
            (i32.store (i32.const 84) (i32.load (i32.const 20)))
            (i32.store (i32.const 88) (i32.load (i32.const 24)))
            (i32.store (i32.const 92) (i32.load (i32.const 28)))
            (i32.store (i32.const 0) (i32.load (i32.const 768)))
            (i32.store (i32.const 4) (i32.load (i32.const 772)))
            (i32.store (i32.const 8) (i32.load (i32.const 776)))
            (i32.store (i32.const 12) (i32.load (i32.const 780)))
            (i32.store (i32.const 16) (i32.load (i32.const 784)))
            (i32.store (i32.const 20) (i32.load (i32.const 788)))
            (i32.store (i32.const 24) (i32.load (i32.const 792)))
            (i32.store (i32.const 28) (i32.load (i32.const 796)))
            (call $c256)
            (local.set $count (i32.sub (local.get $count) (i32.const 1)))
            (br $next))))))
  ;; DES's round function f on the (rotated) half $x with the round-key pair at byte $k of the
  ;; round keys (./des3.ts: feistel).
  (func $f (param $x i32) (param $k i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.xor (local.get $x) (i32.load offset=3072 (local.get $k))))
    (local.set $b (i32.xor (i32.rotr (local.get $x) (i32.const 4)) (i32.load offset=3076 (local.get $k))))
    (i32.xor
      (i32.xor
        (i32.xor (i32.load offset=2816 (i32.and (i32.shl (local.get $a) (i32.const 2)) (i32.const 252)))
                 (i32.load offset=2304 (i32.and (i32.shr_u (local.get $a) (i32.const 6)) (i32.const 252))))
        (i32.xor (i32.load offset=1792 (i32.and (i32.shr_u (local.get $a) (i32.const 14)) (i32.const 252)))
                 (i32.load offset=1280 (i32.and (i32.shr_u (local.get $a) (i32.const 22)) (i32.const 252)))))
      (i32.xor
        (i32.xor (i32.load offset=2560 (i32.and (i32.shl (local.get $b) (i32.const 2)) (i32.const 252)))
                 (i32.load offset=2048 (i32.and (i32.shr_u (local.get $b) (i32.const 6)) (i32.const 252))))
        (i32.xor (i32.load offset=1536 (i32.and (i32.shr_u (local.get $b) (i32.const 14)) (i32.const 252)))
                 (i32.load offset=1024 (i32.and (i32.shr_u (local.get $b) (i32.const 22)) (i32.const 252)))))))
  ;; Triple DES CBC decryption of the $n blocks at $ptr, in place (./des3.ts: des3CbcDecrypt, the
  ;; same steps): initial permutation, 48 rounds with the round keys at 3072, final permutation,
  ;; XOR with the previous ciphertext block (the IV at 3456 first, the last block left there).
  (func (export "des3") (param $ptr i32) (param $n i32)
    (local $c0 i32) (local $c1 i32) (local $p0 i32) (local $p1 i32) (local $h0 i32) (local $h1 i32)
    (local $l i32) (local $r i32) (local $t i32) (local $k i32)
    (local.set $p0 (call $bswap (i32.load (i32.const 3456))))
    (local.set $p1 (call $bswap (i32.load (i32.const 3460))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c0 (call $bswap (i32.load (local.get $ptr))))
        (local.set $c1 (call $bswap (i32.load offset=4 (local.get $ptr))))
        (local.set $h0 (local.get $c0))
        (local.set $h1 (local.get $c1))
        ;; swap-and-mask steps (./des3.ts: swapMove): (0, 4, 0f0f0f0f), (0, 16, 0000ffff), (1, 2, 33333333), (1, 8, 00ff00ff)
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h0) (i32.const 4)) (local.get $h1)) (i32.const 0x0f0f0f0f)))
        (local.set $h1 (i32.xor (local.get $h1) (local.get $t)))
        (local.set $h0 (i32.xor (local.get $h0) (i32.shl (local.get $t) (i32.const 4))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h0) (i32.const 16)) (local.get $h1)) (i32.const 0x0000ffff)))
        (local.set $h1 (i32.xor (local.get $h1) (local.get $t)))
        (local.set $h0 (i32.xor (local.get $h0) (i32.shl (local.get $t) (i32.const 16))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h1) (i32.const 2)) (local.get $h0)) (i32.const 0x33333333)))
        (local.set $h0 (i32.xor (local.get $h0) (local.get $t)))
        (local.set $h1 (i32.xor (local.get $h1) (i32.shl (local.get $t) (i32.const 2))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h1) (i32.const 8)) (local.get $h0)) (i32.const 0x00ff00ff)))
        (local.set $h0 (i32.xor (local.get $h0) (local.get $t)))
        (local.set $h1 (i32.xor (local.get $h1) (i32.shl (local.get $t) (i32.const 8))))
        (local.set $r (i32.rotl (local.get $h1) (i32.const 1)))
        (local.set $l (local.get $h0))
        (local.set $t (i32.and (i32.xor (local.get $l) (local.get $r)) (i32.const 0xaaaaaaaa)))
        (local.set $r (i32.xor (local.get $r) (local.get $t)))
        (local.set $l (i32.rotl (i32.xor (local.get $l) (local.get $t)) (i32.const 1)))
        ;; 48 rounds, two per iteration ($k: byte offset of the round-key pair); the halves are
        ;; exchanged before the second and third DES passes.
        (local.set $k (i32.const 0))
        (loop $round
          (if (i32.or (i32.eq (local.get $k) (i32.const 128)) (i32.eq (local.get $k) (i32.const 256)))
            (then
              (local.set $t (local.get $l))
              (local.set $l (local.get $r))
              (local.set $r (local.get $t))))
          (local.set $l (i32.xor (local.get $l) (call $f (local.get $r) (local.get $k))))
          (local.set $r (i32.xor (local.get $r) (call $f (local.get $l) (i32.add (local.get $k) (i32.const 8)))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br_if $round (i32.lt_u (local.get $k) (i32.const 384))))
        ;; final permutation of R || L
        (local.set $h0 (i32.rotr (local.get $r) (i32.const 1)))
        (local.set $h1 (local.get $l))
        (local.set $t (i32.and (i32.xor (local.get $h0) (local.get $h1)) (i32.const 0xaaaaaaaa)))
        (local.set $h0 (i32.xor (local.get $h0) (local.get $t)))
        (local.set $h1 (i32.rotr (i32.xor (local.get $h1) (local.get $t)) (i32.const 1)))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h1) (i32.const 8)) (local.get $h0)) (i32.const 0x00ff00ff)))
        (local.set $h0 (i32.xor (local.get $h0) (local.get $t)))
        (local.set $h1 (i32.xor (local.get $h1) (i32.shl (local.get $t) (i32.const 8))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h1) (i32.const 2)) (local.get $h0)) (i32.const 0x33333333)))
        (local.set $h0 (i32.xor (local.get $h0) (local.get $t)))
        (local.set $h1 (i32.xor (local.get $h1) (i32.shl (local.get $t) (i32.const 2))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h0) (i32.const 16)) (local.get $h1)) (i32.const 0x0000ffff)))
        (local.set $h1 (i32.xor (local.get $h1) (local.get $t)))
        (local.set $h0 (i32.xor (local.get $h0) (i32.shl (local.get $t) (i32.const 16))))
        (local.set $t (i32.and (i32.xor (i32.shr_u (local.get $h0) (i32.const 4)) (local.get $h1)) (i32.const 0x0f0f0f0f)))
        (local.set $h1 (i32.xor (local.get $h1) (local.get $t)))
        (local.set $h0 (i32.xor (local.get $h0) (i32.shl (local.get $t) (i32.const 4))))
        (i32.store (local.get $ptr) (call $bswap (i32.xor (local.get $h0) (local.get $p0))))
        (i32.store offset=4 (local.get $ptr) (call $bswap (i32.xor (local.get $h1) (local.get $p1))))
        (local.set $p0 (local.get $c0))
        (local.set $p1 (local.get $c1))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 3456) (call $bswap (local.get $p0)))
    (i32.store (i32.const 3460) (call $bswap (local.get $p1))))
  ;; RC2 CBC decryption of the $n blocks at $ptr, in place (./rc2.ts: rc2CbcDecrypt, the same
  ;; steps; RC2's words are little-endian, as WebAssembly's loads): the key words at 3584, the IV
  ;; at 3456 (the last ciphertext block left there).
  (func (export "rc2") (param $ptr i32) (param $n i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $j i32)
    (local.set $p0 (i32.load16_u (i32.const 3456)))
    (local.set $p1 (i32.load16_u (i32.const 3458)))
    (local.set $p2 (i32.load16_u (i32.const 3460)))
    (local.set $p3 (i32.load16_u (i32.const 3462)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c0 (i32.load16_u (local.get $ptr)))
        (local.set $c1 (i32.load16_u offset=2 (local.get $ptr)))
        (local.set $c2 (i32.load16_u offset=4 (local.get $ptr)))
        (local.set $c3 (i32.load16_u offset=6 (local.get $ptr)))
        (local.set $r0 (local.get $c0))
        (local.set $r1 (local.get $c1))
        (local.set $r2 (local.get $c2))
        (local.set $r3 (local.get $c3))
        ;; $j: byte offset of K[j] for j = 63, 59, …, 3; an r-mashing round after j = 47 and j = 23
        (local.set $j (i32.const 252))
        (loop $round
          (local.set $r3 (i32.and (i32.or (i32.shr_u (local.get $r3) (i32.const 5)) (i32.shl (local.get $r3) (i32.const 11))) (i32.const 0xffff)))
          (local.set $r3 (i32.and (i32.sub (i32.sub (i32.sub (local.get $r3) (i32.load offset=3584 (local.get $j)))
            (i32.and (local.get $r2) (local.get $r1))) (i32.and (i32.xor (local.get $r2) (i32.const -1)) (local.get $r0))) (i32.const 0xffff)))
          (local.set $r2 (i32.and (i32.or (i32.shr_u (local.get $r2) (i32.const 3)) (i32.shl (local.get $r2) (i32.const 13))) (i32.const 0xffff)))
          (local.set $r2 (i32.and (i32.sub (i32.sub (i32.sub (local.get $r2) (i32.load offset=3580 (local.get $j)))
            (i32.and (local.get $r1) (local.get $r0))) (i32.and (i32.xor (local.get $r1) (i32.const -1)) (local.get $r3))) (i32.const 0xffff)))
          (local.set $r1 (i32.and (i32.or (i32.shr_u (local.get $r1) (i32.const 2)) (i32.shl (local.get $r1) (i32.const 14))) (i32.const 0xffff)))
          (local.set $r1 (i32.and (i32.sub (i32.sub (i32.sub (local.get $r1) (i32.load offset=3576 (local.get $j)))
            (i32.and (local.get $r0) (local.get $r3))) (i32.and (i32.xor (local.get $r0) (i32.const -1)) (local.get $r2))) (i32.const 0xffff)))
          (local.set $r0 (i32.and (i32.or (i32.shr_u (local.get $r0) (i32.const 1)) (i32.shl (local.get $r0) (i32.const 15))) (i32.const 0xffff)))
          (local.set $r0 (i32.and (i32.sub (i32.sub (i32.sub (local.get $r0) (i32.load offset=3572 (local.get $j)))
            (i32.and (local.get $r3) (local.get $r2))) (i32.and (i32.xor (local.get $r3) (i32.const -1)) (local.get $r1))) (i32.const 0xffff)))
          (if (i32.or (i32.eq (local.get $j) (i32.const 188)) (i32.eq (local.get $j) (i32.const 92)))
            (then
              (local.set $r3 (i32.and (i32.sub (local.get $r3) (i32.load offset=3584 (i32.shl (i32.and (local.get $r2) (i32.const 63)) (i32.const 2)))) (i32.const 0xffff)))
              (local.set $r2 (i32.and (i32.sub (local.get $r2) (i32.load offset=3584 (i32.shl (i32.and (local.get $r1) (i32.const 63)) (i32.const 2)))) (i32.const 0xffff)))
              (local.set $r1 (i32.and (i32.sub (local.get $r1) (i32.load offset=3584 (i32.shl (i32.and (local.get $r0) (i32.const 63)) (i32.const 2)))) (i32.const 0xffff)))
              (local.set $r0 (i32.and (i32.sub (local.get $r0) (i32.load offset=3584 (i32.shl (i32.and (local.get $r3) (i32.const 63)) (i32.const 2)))) (i32.const 0xffff)))))
          (local.set $j (i32.sub (local.get $j) (i32.const 16)))
          (br_if $round (i32.ge_s (local.get $j) (i32.const 12))))
        (i32.store16 (local.get $ptr) (i32.xor (local.get $r0) (local.get $p0)))
        (i32.store16 offset=2 (local.get $ptr) (i32.xor (local.get $r1) (local.get $p1)))
        (i32.store16 offset=4 (local.get $ptr) (i32.xor (local.get $r2) (local.get $p2)))
        (i32.store16 offset=6 (local.get $ptr) (i32.xor (local.get $r3) (local.get $p3)))
        (local.set $p0 (local.get $c0))
        (local.set $p1 (local.get $c1))
        (local.set $p2 (local.get $c2))
        (local.set $p3 (local.get $c3))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store16 (i32.const 3456) (local.get $p0))
    (i32.store16 (i32.const 3458) (local.get $p1))
    (i32.store16 (i32.const 3460) (local.get $p2))
    (i32.store16 (i32.const 3462) (local.get $p3))))
