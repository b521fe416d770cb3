namespace Engine.Backends.Cuda;

/// <summary>
/// Kernel files and entry-point names: an op's kernel is its enum name in lower case and the dtype's suffix
/// (<c>UnaryOp.Exp</c> on F32 is <c>exp_f32</c>), so an op declared once in Ops/OpKinds.cs finds its kernel.
/// </summary>
internal static class KernelNames
{
    public const string Elementwise = "elementwise";
    public const string Creation = "creation";
    public const string Random = "random";
    public const string Reduce = "reduce";
    public const string Softmax = "softmax";
    public const string Combination = "combination";
    public const string Index = "index";
    public const string Loss = "loss";
    public const string OdeNorm = "odenorm";
    public const string Conv = "conv";
    public const string Norm = "norm";
    public const string Pool = "pool";
    public const string Optim = "optim";

    public static string Suffix(DType dtype) => dtype switch
    {
        DType.F32 => "f32",
        DType.F64 => "f64",
        DType.I32 => "i32",
        DType.I64 => "i64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no kernels for this dtype"),
    };

    /// <summary>The op's name in kernels, e.g. <c>argmax</c>.</summary>
    public static string Of<TOp>(TOp op) where TOp : struct, Enum => Lower<TOp>.Names[op];

    /// <summary><c>op_suffix</c>, e.g. <c>add_f64</c>.</summary>
    public static string Of<TOp>(TOp op, DType dtype) where TOp : struct, Enum => string.Concat(Lower<TOp>.Names[op], "_", Suffix(dtype));

    /// <summary><c>op_variant_suffix</c>, e.g. <c>add_scalar_f32</c> or <c>sum_rows_f64</c>.</summary>
    public static string Of<TOp>(TOp op, string variant, DType dtype) where TOp : struct, Enum =>
        string.Concat(Lower<TOp>.Names[op], "_", variant, "_", Suffix(dtype));

    private static class Lower<TOp> where TOp : struct, Enum
    {
        public static readonly Dictionary<TOp, string> Names = Enum.GetValues<TOp>().ToDictionary(v => v, v => v.ToString().ToLowerInvariant());
    }
}
