namespace Engine.Backends.Cuda.Driver;

/// <summary>A loaded kernel: its name (for error messages) and the driver's handle.</summary>
internal sealed record KernelFunction(string Name, IntPtr Handle);
