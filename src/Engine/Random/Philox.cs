namespace Engine.Random;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a counter-based
/// generator, so any element of a stream can be computed independently, identically on CPU and GPU.
/// </summary>
internal static class Philox
{
    private const uint MultiplierA = 0xD2511F53, MultiplierB = 0xCD9E8D57;
    private const uint WeylA = 0x9E3779B9, WeylB = 0xBB67AE85;

    /// <summary>Four 32-bit outputs for the 128-bit counter (c0..c3) under the 64-bit key.</summary>
    public static (uint, uint, uint, uint) Block(ulong counter, ulong key)
    {
        uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0;
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int round = 0; round < 10; round++)
        {
            ulong productA = (ulong)MultiplierA * c0;
            ulong productB = (ulong)MultiplierB * c2;
            uint n0 = (uint)(productB >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(productA >> 32) ^ c3 ^ k1;
            c1 = (uint)productB;
            c3 = (uint)productA;
            c0 = n0;
            c2 = n2;
            k0 += WeylA;
            k1 += WeylB;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Uniform float in [0, 1) from the top 24 bits.</summary>
    public static float ToUniformFloat(uint bits) => (bits >> 8) * (1.0f / (1 << 24));

    /// <summary>Uniform double in [0, 1) from 53 bits of two outputs.</summary>
    public static double ToUniformDouble(uint high, uint low) => (((ulong)high << 21) ^ (low >> 11)) * (1.0 / (1UL << 53));

    /// <summary>Box-Muller: two standard normals from two uniforms in [0, 1).</summary>
    public static (double, double) BoxMuller(double u0, double u1)
    {
        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u0));
        double angle = 2.0 * Math.PI * u1;
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}
