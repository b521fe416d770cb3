namespace Engine.Backends.Cuda.Driver;

/// <summary>The backend's own convolution kernels, which run wherever cuDNN does not (CudaBackend.ConvGemm.cs).</summary>
internal static class OwnConvolutions
{
    public const string Name = "own kernels (im2col + cuBLAS GEMM)";
}
