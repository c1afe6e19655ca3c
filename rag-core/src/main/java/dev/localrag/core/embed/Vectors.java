package dev.localrag.core.embed;

import dev.localrag.core.Internal;

/** Small vector helpers. */
@Internal
public final class Vectors {

    private Vectors() {}

    /** Returns {@code v} scaled to unit length (a copy); a zero vector is rejected. */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0 || Double.isNaN(sum)) {
            throw new IllegalArgumentException("cannot normalize a zero or NaN vector of length " + v.length);
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
