/*
 * PDQ image hashing in the browser: a port of Meta's reference C++ implementation
 * (facebook/ThreatExchange pdq/cpp/hashing/pdqhashing.cpp, BSD licence), step by step:
 *
 *   1. RGB to luma: 0.299 R + 0.587 G + 0.114 B, as single-precision floats;
 *   2. Jarosz filter: two passes of a box filter along rows then along columns, window
 *      ceil(old / (2 * 64)) computed as (old + 2*64 - 1) / (2*64) in integers;
 *   3. decimation to 64 x 64 by sampling at the centres, in = floor((i + 0.5) * old / 64);
 *   4. quality: summed absolute luma gradients of the 64 x 64 image, / 90, at most 100;
 *   5. DCT: the 16 x 64 matrix sqrt(2/64) cos(pi/2/64 (i+1)(2j+1)), B = D A D^T (16 x 16);
 *   6. bits: B[i][j] > median (Torben's, i.e. the 128th smallest of 256) sets bit 16 i + j;
 *      the hex is written from bit 255 down to bit 0 (the reference's Hash256::format).
 *
 * Floating point follows the reference: every value the C++ keeps in a float is rounded to
 * single precision here (Float32Array storage, Math.fround on running sums), so the hash of
 * the same pixels is bit for bit the reference's. Images are decoded by the browser
 * (createImageBitmap, EXIF orientation applied, no colour-space conversion) and read back from
 * a canvas; nothing leaves the device.
 *
 *   7. the 8 dihedral variants (rotations and flips) from the same DCT, as the reference does.
 *
 * MD5 (RFC 1321, written out here: no dependency) is for a video, whose frames are not hashed:
 * md5Blob reads the file in 4 MiB pieces, so a large video never sits in memory whole.
 *
 * window.AmanPdq = { hashPixels(rgba, width, height), hashBlob(blob), hashImage(bitmap),
 *                    hamming(hexA, hexB), DIHEDRAL_NAMES, md5Blob(blob), md5Bytes(u8), Md5 };
 * each hash result is
 *                    { hash, quality, width, height, dihedral: [8 hex hashes] } (dihedral[0] == hash).
 */
(function (global) {
  "use strict";

  var f = Math.fround;
  var LUMA_R = f(0.299);
  var LUMA_G = f(0.587);
  var LUMA_B = f(0.114);
  var MIN_HASHABLE_DIM = 5;
  var DCT = (function () {
    var m = new Float32Array(16 * 64);
    var scale = Math.sqrt(2.0 / 64.0);
    for (var i = 0; i < 16; i++) {
      for (var j = 0; j < 64; j++) {
        m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64.0) * (i + 1) * (2 * j + 1));
      }
    }
    return m;
  })();

  function windowSize(oldDimension, newDimension) {
    return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
  }

  // The reference's box1DFloat: a running sum, shorter windows at both ends.
  function box1D(input, output, start, length, stride, fullWindow) {
    var half = Math.floor((fullWindow + 2) / 2);
    var phase1 = half - 1;
    var phase2 = fullWindow - half + 1;
    var phase3 = length - fullWindow;
    var phase4 = half - 1;
    var li = start;
    var ri = start;
    var oi = start;
    var sum = 0;
    var size = 0;
    var i;
    for (i = 0; i < phase1; i++) {
      sum = f(sum + input[ri]);
      size++;
      ri += stride;
    }
    for (i = 0; i < phase2; i++) {
      sum = f(sum + input[ri]);
      size++;
      output[oi] = sum / size;
      ri += stride;
      oi += stride;
    }
    for (i = 0; i < phase3; i++) {
      sum = f(sum + input[ri]);
      sum = f(sum - input[li]);
      output[oi] = sum / size;
      li += stride;
      ri += stride;
      oi += stride;
    }
    for (i = 0; i < phase4; i++) {
      sum = f(sum - input[li]);
      size--;
      output[oi] = sum / size;
      li += stride;
      oi += stride;
    }
  }

  function jarosz(buffer1, buffer2, rows, cols, windowAlongRows, windowAlongCols) {
    for (var pass = 0; pass < 2; pass++) {
      var i;
      for (i = 0; i < rows; i++) box1D(buffer1, buffer2, i * cols, cols, 1, windowAlongRows);
      for (i = 0; i < cols; i++) box1D(buffer2, buffer1, i, rows, cols, windowAlongCols);
    }
  }

  function decimate(input, rows, cols) {
    var out = new Float32Array(64 * 64);
    for (var i = 0; i < 64; i++) {
      var ini = Math.floor(((i + 0.5) * rows) / 64);
      for (var j = 0; j < 64; j++) {
        var inj = Math.floor(((j + 0.5) * cols) / 64);
        out[i * 64 + j] = input[ini * cols + inj];
      }
    }
    return out;
  }

  function quality(a) {
    var sum = 0;
    var i, j, d;
    for (i = 0; i < 63; i++) {
      for (j = 0; j < 64; j++) {
        d = Math.trunc(f(f(f(a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100) / 255));
        sum += Math.abs(d);
      }
    }
    for (i = 0; i < 64; i++) {
      for (j = 0; j < 63; j++) {
        d = Math.trunc(f(f(f(a[i * 64 + j] - a[i * 64 + j + 1]) * 100) / 255));
        sum += Math.abs(d);
      }
    }
    return Math.min(100, Math.floor(sum / 90));
  }

  function dct64To16(a) {
    var t = new Float32Array(16 * 64);
    var b = new Float32Array(16 * 16);
    var i, j, k, s;
    for (i = 0; i < 16; i++) {
      for (j = 0; j < 64; j++) {
        s = 0;
        for (k = 0; k < 64; k++) s = f(s + f(DCT[i * 64 + k] * a[k * 64 + j]));
        t[i * 64 + j] = s;
      }
    }
    for (i = 0; i < 16; i++) {
      for (j = 0; j < 16; j++) {
        s = 0;
        for (k = 0; k < 64; k++) s = f(s + f(t[i * 64 + k] * DCT[j * 64 + k]));
        b[i * 16 + j] = s;
      }
    }
    return b;
  }

  function bitsToHex(b) {
    var sorted = Array.prototype.slice.call(b).sort(function (x, y) { return x - y; });
    var median = sorted[127];
    var hex = "";
    for (var word = 15; word >= 0; word--) {
      var w = 0;
      for (var bit = 0; bit < 16; bit++) {
        if (b[word * 16 + bit] > median) w |= 1 << bit;
      }
      hex += ("000" + w.toString(16)).slice(-4);
    }
    return hex;
  }

  // The 8 dihedral variants from the one 16 x 16 DCT, as the reference's dct16OriginalTo*:
  // a rotation or flip of the picture only transposes the DCT and/or negates the odd-frequency
  // rows or columns. Each variant then takes its own median (pdqBuffer16x16ToBits).
  // Order: original, rotate90, rotate180, rotate270, flipx, flipy, flip_plus1, flip_minus1.
  var DIHEDRAL = [
    function (a, i, j, b) { b[i * 16 + j] = a[i * 16 + j]; },
    function (a, i, j, b) { b[j * 16 + i] = j & 1 ? a[i * 16 + j] : -a[i * 16 + j]; },
    function (a, i, j, b) { b[i * 16 + j] = (i + j) & 1 ? -a[i * 16 + j] : a[i * 16 + j]; },
    function (a, i, j, b) { b[j * 16 + i] = i & 1 ? a[i * 16 + j] : -a[i * 16 + j]; },
    function (a, i, j, b) { b[i * 16 + j] = i & 1 ? a[i * 16 + j] : -a[i * 16 + j]; },
    function (a, i, j, b) { b[i * 16 + j] = j & 1 ? a[i * 16 + j] : -a[i * 16 + j]; },
    function (a, i, j, b) { b[j * 16 + i] = a[i * 16 + j]; },
    function (a, i, j, b) { b[j * 16 + i] = (i + j) & 1 ? -a[i * 16 + j] : a[i * 16 + j]; },
  ];
  var DIHEDRAL_NAMES = ["original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flip_plus1", "flip_minus1"];

  function dihedralHexes(dct) {
    var out = [];
    for (var v = 0; v < 8; v++) {
      var b = new Float32Array(256);
      for (var i = 0; i < 16; i++) {
        for (var j = 0; j < 16; j++) DIHEDRAL[v](dct, i, j, b);
      }
      out.push(bitsToHex(b));
    }
    return out;
  }

  function hashLuma(luma, rows, cols) {
    if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) {
      var zero = new Array(65).join("0");
      return { hash: zero, quality: 0, width: cols, height: rows, dihedral: [zero, zero, zero, zero, zero, zero, zero, zero] };
    }
    var scratch = new Float32Array(rows * cols);
    jarosz(luma, scratch, rows, cols, windowSize(cols, 64), windowSize(rows, 64));
    var small = decimate(luma, rows, cols);
    var q = quality(small);
    var dihedral = dihedralHexes(dct64To16(small));
    return { hash: dihedral[0], quality: q, width: cols, height: rows, dihedral: dihedral };
  }

  /** PDQ of RGBA pixels (a canvas ImageData's data), width x height. Alpha is ignored. */
  function hashPixels(rgba, width, height) {
    var n = width * height;
    var luma = new Float32Array(n);
    for (var p = 0, o = 0; p < n; p++, o += 4) {
      luma[p] = f(f(f(LUMA_R * rgba[o]) + f(LUMA_G * rgba[o + 1])) + f(LUMA_B * rgba[o + 2]));
    }
    return hashLuma(luma, height, width);
  }

  function pixelsOf(source, width, height) {
    var canvas, ctx;
    if (typeof OffscreenCanvas !== "undefined") {
      canvas = new OffscreenCanvas(width, height);
    } else {
      canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
    }
    ctx = canvas.getContext("2d", { willReadFrequently: true, colorSpace: "srgb" });
    ctx.drawImage(source, 0, 0);
    return ctx.getImageData(0, 0, width, height).data;
  }

  /** PDQ of a decoded image (an ImageBitmap, <img> or canvas). */
  function hashImage(image) {
    var width = image.width;
    var height = image.height;
    return hashPixels(pixelsOf(image, width, height), width, height);
  }

  /** Decode a File or Blob in the browser and hash it; resolves to { hash, quality, width, height }. */
  function hashBlob(blob) {
    return createImageBitmap(blob, {
      imageOrientation: "from-image",
      colorSpaceConversion: "none",
      premultiplyAlpha: "none",
    }).then(function (bitmap) {
      try {
        return hashImage(bitmap);
      } finally {
        if (bitmap.close) bitmap.close();
      }
    });
  }

  function hamming(a, b) {
    var d = 0;
    for (var i = 0; i < a.length; i += 8) {
      var x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
      while (x) {
        x &= x - 1;
        d++;
      }
    }
    return d;
  }

  // --- MD5 (RFC 1321), incremental, for files that are not pictures (a video) -----------------
  var MD5_S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
  var MD5_K = (function () {
    var k = new Int32Array(64);
    for (var i = 0; i < 64; i++) k[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
    return k;
  })();

  function Md5() {
    this.h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
    this.block = new Uint8Array(64);
    this.fill = 0;
    this.length = 0; // bytes, as a double: exact up to 2^53
    this.words = new Int32Array(16);
  }

  Md5.prototype.compress = function (bytes, offset) {
    var m = this.words;
    for (var w = 0; w < 16; w++) {
      var o = offset + w * 4;
      m[w] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
    }
    var a = this.h[0], b = this.h[1], c = this.h[2], d = this.h[3];
    for (var i = 0; i < 64; i++) {
      var f, g;
      if (i < 16) { f = (b & c) | (~b & d); g = i; }
      else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
      else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
      else { f = c ^ (b | ~d); g = (7 * i) & 15; }
      var t = d;
      d = c;
      c = b;
      var x = (a + f + MD5_K[i] + m[g]) | 0;
      b = (b + ((x << MD5_S[i]) | (x >>> (32 - MD5_S[i])))) | 0;
      a = t;
    }
    this.h[0] = (this.h[0] + a) | 0;
    this.h[1] = (this.h[1] + b) | 0;
    this.h[2] = (this.h[2] + c) | 0;
    this.h[3] = (this.h[3] + d) | 0;
  };

  /** Feed bytes (a Uint8Array). */
  Md5.prototype.update = function (bytes) {
    var i = 0;
    var n = bytes.length;
    this.length += n;
    if (this.fill) {
      while (i < n && this.fill < 64) this.block[this.fill++] = bytes[i++];
      if (this.fill < 64) return this;
      this.compress(this.block, 0);
      this.fill = 0;
    }
    for (; i + 64 <= n; i += 64) this.compress(bytes, i);
    while (i < n) this.block[this.fill++] = bytes[i++];
    return this;
  };

  /** The digest as 32 lower-case hex digits. */
  Md5.prototype.hex = function () {
    var bits = this.length * 8;
    var tail = new Uint8Array(this.fill < 56 ? 64 - this.fill : 128 - this.fill);
    tail[0] = 0x80;
    var lo = bits % 4294967296;
    var hi = Math.floor(bits / 4294967296);
    var at = tail.length - 8;
    for (var k = 0; k < 4; k++) {
      tail[at + k] = (lo >>> (8 * k)) & 255;
      tail[at + 4 + k] = (hi >>> (8 * k)) & 255;
    }
    var saved = this.length;
    this.update(tail);
    this.length = saved;
    var out = "";
    for (var w = 0; w < 4; w++) {
      for (var byte = 0; byte < 4; byte++) out += ("0" + ((this.h[w] >>> (8 * byte)) & 255).toString(16)).slice(-2);
    }
    return out;
  };

  function md5Bytes(bytes) {
    return new Md5().update(bytes).hex();
  }

  var MD5_CHUNK = 4 * 1024 * 1024;

  function readChunk(blob) {
    if (blob.arrayBuffer) return blob.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(blob);
    });
  }

  /** MD5 of a File or Blob, read in 4 MiB pieces on this device; resolves to 32 hex digits.
   *  onProgress(doneBytes, totalBytes) is called after each piece, when given. */
  function md5Blob(blob, onProgress) {
    var md5 = new Md5();
    var offset = 0;
    function next() {
      if (offset >= blob.size) return Promise.resolve(md5.hex());
      var end = Math.min(blob.size, offset + MD5_CHUNK);
      return readChunk(blob.slice(offset, end)).then(function (buffer) {
        md5.update(new Uint8Array(buffer));
        offset = end;
        if (onProgress) onProgress(offset, blob.size);
        return next();
      });
    }
    return next();
  }

  global.AmanPdq = {
    hashPixels: hashPixels,
    hashImage: hashImage,
    hashBlob: hashBlob,
    hamming: hamming,
    DIHEDRAL_NAMES: DIHEDRAL_NAMES,
    Md5: Md5,
    md5Bytes: md5Bytes,
    md5Blob: md5Blob,
  };
})(typeof window !== "undefined" ? window : this);
