package standin

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// apiError is an AWS API error as the real provider reports it, e.g.
//
//	creating EC2 Instance: operation error EC2: RunInstances, https response
//	error StatusCode: 400, RequestID: ..., api error InvalidNetworkInterface.InUse: Interface: [eni-...] in use.
//
// Source: smithy-go operation.go, OperationError.Error ("operation error
// %s: %s, %v"); aws-sdk-go-v2 aws/transport/http/response_error.go,
// ResponseError.Error ("https response error StatusCode: %d, RequestID: %s,
// %v"), and for S3 service/internal/s3shared/response_error.go (which adds
// ", HostID: %s"); smithy-go errors.go, GenericAPIError.Error ("api error
// %s: %s"). The provider prefixes what it was doing: sdkdiag.AppendErrorf.
type apiError struct {
	doing  string // "creating EC2 Instance"
	op     string // "EC2: RunInstances"
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string {
	sum := sha256.Sum256([]byte(e.doing + e.code + e.msg))
	rid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	host := ""
	if strings.HasPrefix(e.op, "S3: ") {
		h := sha256.Sum256([]byte(rid))
		host = ", HostID: " + base64.StdEncoding.EncodeToString(h[:])
	}
	return fmt.Sprintf("%s: operation error %s, https response error StatusCode: %d, RequestID: %s%s, api error %s: %s",
		e.doing, e.op, e.status, rid, host, e.code, e.msg)
}

func awsErr(doing, op string, code int, errCode, format string, args ...any) error {
	return &apiError{doing: doing, op: op, status: code, code: errCode, msg: fmt.Sprintf(format, args...)}
}

// rpcErr turns an error into the gRPC status the engine shows.
func rpcErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unknown, err.Error())
}

// failures collects Check failures: invalid inputs, reported per property
// as the real provider does during preview.
// Source: pulumi-terraform-bridge pkg/tfbridge/provider.go, Check
// (adaptCheckFailures turns the provider's validation errors into
// CheckFailures).
type failures []*pulumirpc.CheckFailure

func (f *failures) add(prop, format string, args ...any) {
	*f = append(*f, &pulumirpc.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
}

// unknownType fails loudly on a type the stand-in does not implement.
// Assumption: the real provider implements it; the stand-in refuses so that
// no test passes against a type it does not model.
func unknownType(typ string) error {
	return status.Errorf(codes.InvalidArgument,
		"the AWS stand-in does not implement resource type %q: add it to tests/standin before using it", typ)
}
