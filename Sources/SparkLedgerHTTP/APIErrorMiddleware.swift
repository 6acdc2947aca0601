import Hummingbird
import SparkLedgerCore
import SparkLedgerStorage

/// Every failure leaves as JSON: the API's own errors as they are, an unknown route as 404,
/// Hummingbird's errors with their status, and anything else (a database error) as 500 with a
/// message — never an empty body.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            if error.status == .notFound {
                throw APIError.notFound("no such resource \(request.uri.path)")
            }
            throw APIError(error.status, error.body ?? "\(error.status)")
        } catch let error as StoreError {
            context.logger.error("store error answering \(request.uri): \(error)")
            throw APIError(.internalServerError, "the store failed: \(error)")
        } catch {
            context.logger.error("error answering \(request.uri): \(error)")
            throw APIError(.internalServerError, "\(error)")
        }
    }
}
