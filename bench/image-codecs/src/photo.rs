//! Synthetic photographs: a landscape with smooth gradients, fractal terrain,
//! soft clouds, hard edges and sensor grain, deterministic from a seed. Flat
//! colour or pure noise would flatter or punish the codecs; this compresses
//! like a camera picture (a 3000x2000 one is about 1.7 MB as JPEG at quality 90).

/// A 32-bit integer hash of a lattice point; the basis of every noise here.
fn hash(x: i32, y: i32, seed: u32) -> u32 {
    let mut h = (x as u32).wrapping_mul(0x9E37_79B1)
        ^ (y as u32).wrapping_mul(0x85EB_CA77)
        ^ seed.wrapping_mul(0xC2B2_AE3D);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    h = h.wrapping_mul(0x297A_2D39);
    h ^ (h >> 15)
}

fn unit(h: u32) -> f32 {
    (h & 0xFFFF) as f32 / 65535.0
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// Value noise in 0..1 with lattice spacing 1.
fn value_noise(x: f32, y: f32, seed: u32) -> f32 {
    let (xf, yf) = (x.floor(), y.floor());
    let (xi, yi) = (xf as i32, yf as i32);
    let (tx, ty) = (smooth(x - xf), smooth(y - yf));
    let a = unit(hash(xi, yi, seed));
    let b = unit(hash(xi + 1, yi, seed));
    let c = unit(hash(xi, yi + 1, seed));
    let d = unit(hash(xi + 1, yi + 1, seed));
    let top = a + (b - a) * tx;
    let bottom = c + (d - c) * tx;
    top + (bottom - top) * ty
}

/// Fractal (fBm) noise in about 0..1.
fn fbm(x: f32, y: f32, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut freq, mut norm) = (0.0, 0.5, 1.0, 0.0);
    for o in 0..octaves {
        sum += amp * value_noise(x * freq, y * freq, seed.wrapping_add(o * 7919));
        norm += amp;
        amp *= 0.5;
        freq *= 2.0;
    }
    sum / norm
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// One pixel of the landscape, in 0..255 floats, before grain.
fn landscape(u: f32, v: f32, aspect: f32, seed: u32) -> [f32; 3] {
    let horizon = 0.55 + 0.12 * (fbm(u * 3.0, 0.5, 5, seed) - 0.5);
    if v < horizon {
        let sky = mix([70.0, 120.0, 200.0], [200.0, 220.0, 240.0], v / horizon);
        let cloud = fbm(u * 6.0 * aspect, v * 9.0, 6, seed ^ 0xC10D);
        let cover = ((cloud - 0.5) * 4.0).clamp(0.0, 1.0);
        let sun = ((0.07 - ((u - 0.75) * aspect).hypot(v - 0.2)) * 60.0).clamp(0.0, 1.0);
        mix(
            mix(sky, [245.0, 245.0, 250.0], cover),
            [255.0, 250.0, 225.0],
            sun,
        )
    } else {
        let depth = (v - horizon) / (1.0 - horizon);
        let scale = 40.0 + 400.0 * depth;
        let grass = fbm(u * scale * aspect, v * scale, 8, seed ^ 0x6A55);
        let far = mix([60.0, 90.0, 70.0], [90.0, 140.0, 60.0], depth);
        let field = mix(far, [150.0, 120.0, 60.0], (grass - 0.35).clamp(0.0, 1.0));
        // A dirt path with a hard edge, so ringing and blocking show.
        let path = (u - 0.5 - 0.3 * (depth - 0.5)).abs() < 0.02 + 0.08 * depth;
        if path {
            mix([170.0, 150.0, 120.0], [120.0, 100.0, 80.0], grass)
        } else {
            field
        }
    }
}

/// An RGB8 buffer of `width` x `height`.
pub fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    let aspect = width as f32 / height as f32;
    for y in 0..height {
        let v = y as f32 / height as f32;
        for x in 0..width {
            let u = x as f32 / width as f32;
            let rgb = landscape(u, v, aspect, seed);
            let grain = (unit(hash(x as i32, y as i32, seed ^ 0x5EED)) - 0.5) * 16.0;
            for c in rgb {
                out.push((c + grain).clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}
