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
 * window.AmanPdq = { hashPixels(rgba, width, height), hashBlob(blob), hashImage(bitmap),
 *                    hamming(hexA, hexB) }; each hash result is { hash, quality, width, height }.
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

  function hashLuma(luma, rows, cols) {
    if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) {
      return { hash: new Array(65).join("0"), quality: 0, width: cols, height: rows };
    }
    var scratch = new Float32Array(rows * cols);
    jarosz(luma, scratch, rows, cols, windowSize(cols, 64), windowSize(rows, 64));
    var small = decimate(luma, rows, cols);
    var q = quality(small);
    return { hash: bitsToHex(dct64To16(small)), quality: q, width: cols, height: rows };
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

  global.AmanPdq = { hashPixels: hashPixels, hashImage: hashImage, hashBlob: hashBlob, hamming: hamming };
})(typeof window !== "undefined" ? window : this);
