using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>RestartPolicySpec: case and spaces forgiven, retries only for on-failure, the refusal quotes the input.</summary>
    public sealed class RestartPolicySpecTests
    {
        [Theory]
        [InlineData("no", "no", 0)]
        [InlineData("always", "always", 0)]
        [InlineData("unless-stopped", "unless-stopped", 0)]
        [InlineData("on-failure", "on-failure", 0)]
        [InlineData("on-failure:5", "on-failure", 5)]
        [InlineData(" Always ", "always", 0)]
        [InlineData("ON-FAILURE:0", "on-failure", 0)]
        [InlineData("on-failure:10", "on-failure", 10)]
        public void ReadsForgivingForms(string text, string name, long retries)
        {
            RestartPolicySpec r = RestartPolicySpec.Parse(text);
            Assert.Equal((name, retries), (r.Name, r.MaximumRetryCount));
        }

        [Theory]
        [InlineData("sometimes")]
        [InlineData("always:3")]
        [InlineData("on-failure:-1")]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(":3")]
        [InlineData("on-failure:")]
        [InlineData("on-failure:x")]
        [InlineData("no:1")]
        public void RefusesWithTheInputQuoted(string text)
        {
            FailureException e = Assert.Throws<FailureException>(() => RestartPolicySpec.Parse(text));
            Assert.Equal(ErrorCatalog.InvalidRestartPolicy, e.Kind);
            Assert.Equal($"The restart policy '{text}' is invalid: use no, always, unless-stopped or on-failure[:max-retries].", e.Message);
        }
    }
}
