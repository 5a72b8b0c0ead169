;; The block loops of Triple DES and RC2 decryption in CBC mode, for the legacy PKCS#12 PBE schemes
;; (./des3.ts, ./rc2.ts: the key schedules are there, in JavaScript, and so are the same loops for
;; runtimes that refuse to compile code at run time). Hand-written; assembled by
;; test/support/wasm.ts (wabt) into ./cipher-wasm.ts, which is what ships; a tooling test assembles
;; it again and compares the bytes, and test/legacy-crypto.test.ts checks both against published
;; vectors and each other on every runtime.
;;
;; Why WebAssembly: a legacy file's key bag (about 1,200 bytes) is 7,400 DES round functions, which
;; a fresh process ran in V8's interpreter (2–3.5 ms CPU); WebAssembly starts in V8's baseline
;; compiler. A module of its own (not in ./sha.wat), compiled at the first legacy decryption: an
;; OpenSSL 3 file never loads it.
;;
;; Memory (one 64 KiB page), byte offsets (0..1024 unused):
;;   1024..3072 Triple DES's eight SP tables, 64 words each (./des3.ts: spTables builds the same)
;;   3072..3456 the 96 Triple DES round-key words, in decryption order (written by the host)
;;   3456..3464 the CBC IV, as in the file; replaced by the last ciphertext block decrypted
;;   3584..3840 RC2's 64 expanded key words, one a word (written by the host)
;;   4096..     the ciphertext, decrypted in place
(module
  (memory (export "memory") 1)
  ;; SP1 … SP8 (./des3.ts: spTables), little-endian words.
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
