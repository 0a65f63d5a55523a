using DigestTools.Engine.Pinning;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>How rollback and failure messages name a container: its name and short id.</summary>
    public sealed class ReplicaLabelTests
    {
        [Theory]
        [InlineData("web-1", "0123456789abcdef0123", "web-1 0123456789ab")]
        [InlineData(null, "0123456789abcdef0123", "(unnamed) 0123456789ab")]
        [InlineData("web-1", "0123", "web-1 0123")]   // an id shorter than a short id is shown whole
        public void ALabelIsTheNameAndTheShortId(string name, string id, string expected)
            => Assert.Equal(expected, new Replica { Name = name, Id = id }.Label);
    }
}
