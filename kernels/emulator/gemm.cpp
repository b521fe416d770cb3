// cuBLAS's GEMM contract as a reference loop, so a backend that passes the wrong transposes, leading
// dimensions or batch strides fails here as it would on the GPU: column-major matrices, element (i, j) of
// a matrix with leading dimension ld at i + j * ld, and cuBLAS's argument checks.
#include "emulator_api.h"
#include "status.h"

#include <string>
#include <vector>

namespace
{
int max1(int value) { return value > 1 ? value : 1; }

template <typename T>
void multiply(bool transa, bool transb, int m, int n, int k, T alpha, const T* a, int lda, long long stride_a, const T* b,
              int ldb, long long stride_b, T beta, T* c, int ldc, long long stride_c, int batch)
{
    std::vector<T> column(m);
    for (int p = 0; p < batch; ++p)
    {
        const T* ap = a + p * stride_a;
        const T* bp = b + p * stride_b;
        T* cp = c + p * stride_c;
        for (int j = 0; j < n; ++j)
        {
            for (int i = 0; i < m; ++i) column[i] = 0;
            for (int l = 0; l < k; ++l)
            {
                T bl = transb ? bp[j + (long long)l * ldb] : bp[l + (long long)j * ldb];
                for (int i = 0; i < m; ++i) column[i] += (transa ? ap[l + (long long)i * lda] : ap[i + (long long)l * lda]) * bl;
            }
            T* cj = cp + (long long)j * ldc;
            // As in cuBLAS, C is only read when beta is non-zero, so it may hold anything (NaN) before.
            for (int i = 0; i < m; ++i) cj[i] = beta == T(0) ? alpha * column[i] : alpha * column[i] + beta * cj[i];
        }
    }
}
} // namespace

EMU_API int emu_gemm(int dtype, int transa, int transb, int m, int n, int k, double alpha, unsigned long long a, int lda,
                     long long stride_a, unsigned long long b, int ldb, long long stride_b, double beta, unsigned long long c,
                     int ldc, long long stride_c, int batch)
{
    std::string problem;
    if (dtype != 0 && dtype != 1) problem = "dtype must be 0 (float) or 1 (double)";
    else if ((transa != 0 && transa != 1) || (transb != 0 && transb != 1)) problem = "transa and transb must be 0 (N) or 1 (T)";
    else if (m < 0 || n < 0 || k < 0 || batch < 0) problem = "m, n, k and batch must not be negative";
    else if (lda < max1(transa ? k : m)) problem = "lda " + std::to_string(lda) + " < max(1, " + (transa ? "k" : "m") + ")";
    else if (ldb < max1(transb ? n : k)) problem = "ldb " + std::to_string(ldb) + " < max(1, " + (transb ? "n" : "k") + ")";
    else if (ldc < max1(m)) problem = "ldc " + std::to_string(ldc) + " < max(1, m)";
    if (!problem.empty())
        return emu::fail(EMU_BLAS_INVALID_VALUE, "emu_gemm(m " + std::to_string(m) + ", n " + std::to_string(n) + ", k " +
                                                     std::to_string(k) + "): " + problem);
    if (dtype == 0)
        multiply<float>(transa, transb, m, n, k, (float)alpha, reinterpret_cast<const float*>(a), lda, stride_a,
                        reinterpret_cast<const float*>(b), ldb, stride_b, (float)beta, reinterpret_cast<float*>(c), ldc, stride_c, batch);
    else
        multiply<double>(transa, transb, m, n, k, alpha, reinterpret_cast<const double*>(a), lda, stride_a,
                         reinterpret_cast<const double*>(b), ldb, stride_b, beta, reinterpret_cast<double*>(c), ldc, stride_c, batch);
    return EMU_SUCCESS;
}
