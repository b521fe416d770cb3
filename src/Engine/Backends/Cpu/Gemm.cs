namespace Engine.Backends.Cpu;

/// <summary>Temporary reference GEMM (replaced by the blocked kernel).</summary>
internal static unsafe class Gemm
{
    public static void Multiply(int m, int n, int k, float* a, long rsA, long csA, float* b, long rsB, long csB, float* c, long rsC, long csC, int maxThreads)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s += a[i * rsA + p * csA] * b[p * rsB + j * csB];
                c[i * rsC + j * csC] = s;
            }
    }

    public static void Multiply(int m, int n, int k, double* a, long rsA, long csA, double* b, long rsB, long csB, double* c, long rsC, long csC, int maxThreads)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * rsA + p * csA] * b[p * rsB + j * csB];
                c[i * rsC + j * csC] = s;
            }
    }
}
