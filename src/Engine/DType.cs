namespace Engine;

/// <summary>Element type of a tensor.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float.</summary>
    F32,
    /// <summary>64-bit IEEE float.</summary>
    F64,
    /// <summary>32-bit signed integer (labels, indices).</summary>
    I32,
    /// <summary>64-bit signed integer (labels, indices).</summary>
    I64,
}

/// <summary>Facts about a <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Size of one element in bytes.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.F32 or DType.I32 => 4,
        DType.F64 or DType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for F32 and F64.</summary>
    public static bool IsFloating(this DType dtype) => dtype is DType.F32 or DType.F64;

    /// <summary>The dtype whose CLR type is <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.F32;
        if (typeof(T) == typeof(double)) return DType.F64;
        if (typeof(T) == typeof(int)) return DType.I32;
        if (typeof(T) == typeof(long)) return DType.I64;
        throw new NotSupportedException($"no dtype for CLR type {typeof(T).Name}; expected float, double, int or long");
    }
}
