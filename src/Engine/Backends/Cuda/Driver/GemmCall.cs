namespace Engine.Backends.Cuda.Driver;

/// <summary>
/// The arguments of cublas&lt;t&gt;gemmStridedBatched, column-major: C_i = alpha op(A_i) op(B_i) + beta C_i for i &lt;
/// <see cref="Batch"/>, with op(A) m x k, op(B) k x n and C m x n; element (r, c) of a matrix with leading
/// dimension ld is at r + c * ld.
/// </summary>
internal readonly record struct GemmCall(
    DType DType,
    bool TransposeA,
    bool TransposeB,
    int M,
    int N,
    int K,
    double Alpha,
    ulong A,
    int Lda,
    long StrideA,
    ulong B,
    int Ldb,
    long StrideB,
    double Beta,
    ulong C,
    int Ldc,
    long StrideC,
    int Batch)
{
    /// <summary>The call as cuBLAS would be called, for error messages.</summary>
    public string Describe() =>
        $"gemm({(TransposeA ? 'T' : 'N')}, {(TransposeB ? 'T' : 'N')}, m {M}, n {N}, k {K}, lda {Lda}, ldb {Ldb}, ldc {Ldc}, " +
        $"strides {StrideA}/{StrideB}/{StrideC}, batch {Batch}, {DType})";
}
