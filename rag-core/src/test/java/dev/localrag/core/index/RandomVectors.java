package dev.localrag.core.index;

import java.util.SplittableRandom;

/** Seeded random unit vectors and exact top-k, for recall tests and the benchmark. */
final class RandomVectors {

    private RandomVectors() {}

    static float[][] unitVectors(int n, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                // Box-Muller: gaussian components give uniformly distributed directions
                double g =
                        Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
                out[i][j] = (float) g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                out[i][j] *= inv;
            }
        }
        return out;
    }

    /**
     * Unit vectors with low intrinsic dimension, like text embeddings: a fixed random linear map
     * of {@code latent}-dimensional gaussian points into {@code dim} dimensions, plus 10% noise.
     * Queries drawn with another {@code seed} but the same {@code mapSeed} come from the same space.
     */
    static float[][] lowRankUnitVectors(int n, int dim, int latent, long mapSeed, long seed) {
        float[][] map = unitVectors(dim, latent, mapSeed);
        float[][] z = unitVectors(n, latent, seed);
        float[][] noise = unitVectors(n, dim, seed + 1);
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                float v = 0.1f * noise[i][j];
                for (int l = 0; l < latent; l++) {
                    v += map[j][l] * z[i][l];
                }
                out[i][j] = v;
                norm += v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                out[i][j] *= inv;
            }
        }
        return out;
    }

    /** Indexes of the {@code k} vectors with the highest dot product with {@code query}, best first. */
    static int[] exactTopK(float[][] vectors, float[] query, int k) {
        int[] best = new int[k];
        float[] scores = new float[k];
        java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(best, -1);
        for (int i = 0; i < vectors.length; i++) {
            float s = dot(vectors[i], query);
            if (s > scores[k - 1]) {
                int pos = k - 1;
                while (pos > 0 && scores[pos - 1] < s) {
                    scores[pos] = scores[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                scores[pos] = s;
                best[pos] = i;
            }
        }
        return best;
    }

    static float dot(float[] a, float[] b) {
        return org.apache.lucene.util.VectorUtil.dotProduct(a, b); // SIMD where the JVM allows
    }
}
