namespace Engine.Backends.Cuda.Driver;

/// <summary>Three extents of a grid or a block.</summary>
internal readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    public override string ToString() => $"({X}, {Y}, {Z})";
}

/// <summary>Grid, block and dynamic shared memory of one launch; computed by <see cref="LaunchConfig"/>.</summary>
internal readonly record struct LaunchShape(Dim3 Grid, Dim3 Block, int SharedBytes = 0)
{
    public override string ToString() => $"grid {Grid}, block {Block}, {SharedBytes} bytes of shared memory";
}
