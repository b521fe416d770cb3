using Engine.Random;
using FsCheck.Xunit;
using Xunit;

namespace Engine.Tests.Random;

/// <summary>
/// The engine's Philox4x32-10 block function against Random123's published known-answer vectors
/// (tests/kat_vectors, lines "philox4x32 10": counter words, key words, then the four outputs).
/// </summary>
public class PhiloxTests
{
    [Theory]
    [InlineData(new uint[] { 0, 0, 0, 0 }, new uint[] { 0, 0 }, new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 })]
    [InlineData(new uint[] { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, new uint[] { 0xffffffff, 0xffffffff },
        new uint[] { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd })]
    [InlineData(new uint[] { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, new uint[] { 0xa4093822, 0x299f31d0 },
        new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 })]
    public void TheReferenceMatchesRandom123(uint[] counter, uint[] key, uint[] expected)
    {
        Assert.Equal(expected, PhiloxReference.Block(counter, key));
    }

    [Fact]
    public void CounterZeroKeyZeroGivesTheKnownAnswer()
    {
        Assert.Equal((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u), Philox.Block(0, 0));
    }

    /// <summary>The engine keys by a 64-bit seed and counts with the low 64 bits of the counter; the high words are 0.</summary>
    [Property(MaxTest = 500)]
    public bool TheEngineMatchesTheReference(ulong counter, ulong key)
    {
        var (r0, r1, r2, r3) = Philox.Block(counter, key);
        var expected = PhiloxReference.Block([(uint)counter, (uint)(counter >> 32), 0, 0], [(uint)key, (uint)(key >> 32)]);
        return expected.SequenceEqual([r0, r1, r2, r3]);
    }

    [Fact]
    public void UniformConversionsStayBelowOne()
    {
        Assert.Equal(0f, Philox.ToUniformFloat(0));
        Assert.True(Philox.ToUniformFloat(uint.MaxValue) < 1f);
        Assert.Equal(0.0, Philox.ToUniformDouble(0, 0));
        Assert.True(Philox.ToUniformDouble(uint.MaxValue, uint.MaxValue) < 1.0);
    }
}
