/* One pass over a flat float32/float64 array for the hook tracer's statistics.
 *
 * torch on the CPU takes a pass per statistic (sum, sum of squares, min and max, the zero count),
 * each reading the whole tensor back from memory; a traced step of a small CNN spent more time
 * there than in the step itself. This reads each number once.
 *
 * out = {shift, sum(x - shift), sum((x - shift)^2), min, max, number of non-zeros}, where shift is
 * the median of about SHIFT_SAMPLE evenly spaced elements: sums around a value near the mean give
 * the variance without the cancellation of sum(x^2) - n * mean^2 (see sandbox/tracer.py).
 *
 * Built with -ffinite-math-only and -fassociative-math so that the compiler vectorises the min,
 * max and sum reductions. The results are only meant for finite input: NaN or Inf anywhere makes
 * the shifted sum of squares NaN or Inf (so do squares beyond the type's range), and the caller
 * then takes torch's path, which handles them. Sums are kept per block in the input's type (many
 * lanes, short runs) and added up in double.
 */
#include <math.h>
#include <stdint.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define SHIFT_SAMPLE 64
#define BLOCK 1024
/* Split over torch's threads from this many elements (torch's own grain size), in whole blocks. */
#define PARALLEL_MIN 32768
#define MAX_PARTS 64

/* One copy for AVX2 machines and one for the baseline, picked when the library loads. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && \
    !defined(NT_NO_CLONES)
#define VARIANTS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VARIANTS
#endif

#define EXPORT __attribute__((visibility("default")))

#ifdef _OPENMP
/* The pass split over the threads torch computes with, when the kernel is built against torch's
 * own OpenMP runtime (see sandbox/tensor_scan.py): torch's threads wait for work after each of its
 * ops, so they take these chunks at once, where any other thread would fight them for the cores.
 * Each thread sums whole blocks of one contiguous range and the parts are added in order, so the
 * same number of threads gives the same bits. */
#define DEFINE_SPLIT(NAME, T)                                                                 \
    static void NAME##_split(const T *x, int64_t n, T shift, double *out) {                   \
        int parts = n >= 2 * PARALLEL_MIN && !omp_in_parallel() ? omp_get_max_threads() : 1;  \
        if (parts > n / PARALLEL_MIN) parts = (int)(n / PARALLEL_MIN);                        \
        if (parts > MAX_PARTS) parts = MAX_PARTS;                                             \
        if (parts <= 1) {                                                                     \
            NAME##_pass(x, n, shift, out);                                                    \
            return;                                                                           \
        }                                                                                     \
        double part[MAX_PARTS][6];                                                            \
        int64_t length[MAX_PARTS] = {0};                                                      \
        _Pragma("omp parallel num_threads(parts)") {                                          \
            const int64_t k = omp_get_num_threads(), t = omp_get_thread_num();                \
            const int64_t per = ((n + BLOCK - 1) / BLOCK + k - 1) / k * BLOCK;                \
            const int64_t lo = t * per < n ? t * per : n, hi = lo + per < n ? lo + per : n;   \
            NAME##_pass(x + lo, hi - lo, shift, part[t]);                                     \
            length[t] = hi - lo;                                                              \
        }                                                                                     \
        out[0] = shift;                                                                       \
        out[1] = out[2] = out[5] = 0;                                                         \
        out[3] = INFINITY;                                                                    \
        out[4] = -INFINITY;                                                                   \
        for (int t = 0; t < MAX_PARTS && length[t]; t++) {                                    \
            out[1] += part[t][1];                                                             \
            out[2] += part[t][2];                                                             \
            out[3] = part[t][3] < out[3] ? part[t][3] : out[3];                               \
            out[4] = part[t][4] > out[4] ? part[t][4] : out[4];                               \
            out[5] += part[t][5];                                                             \
        }                                                                                     \
    }
#else
#define DEFINE_SPLIT(NAME, T)                                                                 \
    static void NAME##_split(const T *x, int64_t n, T shift, double *out) {                   \
        NAME##_pass(x, n, shift, out);                                                        \
    }
#endif

#define DEFINE_SCAN(NAME, T)                                                                  \
    static VARIANTS void NAME##_pass(const T *restrict x, int64_t n, T shift,                 \
                                     double *restrict out) {                                  \
        double sum = 0, squares = 0;                                                          \
        T lo = INFINITY, hi = -INFINITY;                                                      \
        int64_t nonzero = 0;                                                                  \
        for (int64_t start = 0; start < n; start += BLOCK) {                                  \
            const T *block = x + start;                                                       \
            const int32_t len = (int32_t)(n - start < BLOCK ? n - start : BLOCK);             \
            T block_sum = 0, block_squares = 0, block_lo = lo, block_hi = hi;                 \
            int32_t block_nonzero = 0;                                                        \
            for (int32_t i = 0; i < len; i++) {                                               \
                const T v = block[i], d = v - shift;                                          \
                block_sum += d;                                                               \
                block_squares += d * d;                                                       \
                block_lo = v < block_lo ? v : block_lo;                                       \
                block_hi = v > block_hi ? v : block_hi;                                       \
                block_nonzero += v != 0;                                                      \
            }                                                                                 \
            sum += block_sum;                                                                 \
            squares += block_squares;                                                         \
            lo = block_lo;                                                                    \
            hi = block_hi;                                                                    \
            nonzero += block_nonzero;                                                         \
        }                                                                                     \
        out[0] = shift;                                                                       \
        out[1] = sum;                                                                         \
        out[2] = squares;                                                                     \
        out[3] = lo;                                                                          \
        out[4] = hi;                                                                          \
        out[5] = (double)nonzero;                                                             \
    }                                                                                         \
                                                                                              \
    DEFINE_SPLIT(NAME, T)                                                                     \
                                                                                              \
    EXPORT void NAME(const T *x, int64_t n, double *out) {                                    \
        /* The shift: the median of evenly spaced elements, as stat_vector takes it. A mean   \
         * would follow an outlier among them (one huge activation at index 0, say) far from \
         * the other numbers, and the block sums, kept in the input's type, would lose the    \
         * digits of their spread. */                                                         \
        T sample[2 * SHIFT_SAMPLE];                                                           \
        int64_t step = n / SHIFT_SAMPLE > 1 ? n / SHIFT_SAMPLE : 1, taken = 0;                \
        for (int64_t i = 0; i < n && taken < 2 * SHIFT_SAMPLE; i += step) {                   \
            int64_t at = taken++;                                                             \
            for (; at > 0 && sample[at - 1] > x[i]; at--) sample[at] = sample[at - 1];       \
            sample[at] = x[i];                                                                \
        }                                                                                     \
        NAME##_split(x, n, taken ? sample[(taken - 1) / 2] : 0, out);                         \
        /* Numbers whose spread the sample missed (a pattern with the sample's period): read  \
         * them again around the mean found, when the shift was over a standard deviation   \
         * away from it. */                                                                   \
        const double offset = out[1] / (double)n, spread = out[2] / (double)n - offset * offset; \
        if (offset * offset > spread) NAME##_split(x, n, (T)(out[0] + offset), out);          \
    }

DEFINE_SCAN(nt_scan_f32, float)
DEFINE_SCAN(nt_scan_f64, double)

/* How many parts a large scan is split into now: torch's thread count in an OpenMP build. */
EXPORT int nt_threads(void) {
#ifdef _OPENMP
    return omp_in_parallel() ? 1 : omp_get_max_threads();
#else
    return 1;
#endif
}
