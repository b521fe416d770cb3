using System.Globalization;

namespace Engine.Ode;

/// <summary>How error messages write times, step sizes and shapes.</summary>
internal static class Describe
{
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Shape(int[] shape) => $"[{string.Join(", ", shape)}]";

    public static string Tensor(Engine.Tensor x) => $"{Shape(x.Shape)} {x.DType} on {x.Device}";
}
