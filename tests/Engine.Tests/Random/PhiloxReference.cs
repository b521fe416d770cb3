namespace Engine.Tests.Random;

/// <summary>
/// Philox4x32-10 as specified by Salmon et al. (SC 2011) and Random123's philox.h, written for the tests with
/// the full 128-bit counter, so it can be checked against Random123's known-answer vectors.
/// </summary>
internal static class PhiloxReference
{
    public static uint[] Block(uint[] counter, uint[] key)
    {
        uint c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3], k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            ulong product0 = (ulong)0xD2511F53 * c0;
            ulong product1 = (ulong)0xCD9E8D57 * c2;
            (c0, c1, c2, c3) = ((uint)(product1 >> 32) ^ c1 ^ k0, (uint)product1, (uint)(product0 >> 32) ^ c3 ^ k1, (uint)product0);
        }
        return [c0, c1, c2, c3];
    }
}
